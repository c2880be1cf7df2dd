using Microsoft.Extensions.Options;

namespace Surveillance.Host.Configuration;

/// <summary>Adapts an options class's own <c>Validate()</c> (one line per problem, naming the key) to the Options pattern.</summary>
internal sealed class OptionsValidator<TOptions>(Func<TOptions, IEnumerable<string>> validate) : IValidateOptions<TOptions>
    where TOptions : class
{
    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        var errors = validate(options).ToList();
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
