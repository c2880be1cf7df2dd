// The tests run real engines, decoders and models on a small machine; one at a time keeps timings honest.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
