namespace Surveillance.Analytics.Tracking;

/// <summary>
/// A one-dimensional Kalman filter with a position and a velocity (constant-velocity model, white-noise
/// acceleration). Four of them follow a box's centre and size; independent axes keep the filter a handful
/// of multiplications instead of 8×8 matrix algebra, at the cost of ignoring correlations between axes.
/// </summary>
internal struct ConstantVelocityFilter
{
    private float _p00;
    private float _p01;
    private float _p11;

    public float Position;
    public float Velocity;

    public ConstantVelocityFilter(float position, float positionStd, float velocityStd)
    {
        Position = position;
        Velocity = 0;
        _p00 = positionStd * positionStd;
        _p01 = 0;
        _p11 = velocityStd * velocityStd;
    }

    /// <summary>Moves the estimate <paramref name="dt"/> seconds ahead.</summary>
    /// <param name="accelerationStd">How much the velocity may change per second (px/s²).</param>
    public void Predict(float dt, float accelerationStd)
    {
        Position += Velocity * dt;
        var q = accelerationStd * accelerationStd;
        var dt2 = dt * dt;
        // P = F P Fᵀ + Q, with F = [1 dt; 0 1] and Q the continuous white-noise acceleration model.
        _p00 += dt * (2 * _p01 + dt * _p11) + q * dt2 * dt / 3;
        _p01 += dt * _p11 + q * dt2 / 2;
        _p11 += q * dt;
    }

    /// <summary>Folds in a measured position.</summary>
    public void Update(float measured, float measurementStd)
    {
        var r = measurementStd * measurementStd;
        var s = _p00 + r;
        var k0 = _p00 / s;
        var k1 = _p01 / s;
        var innovation = measured - Position;
        Position += k0 * innovation;
        Velocity += k1 * innovation;
        var p00 = _p00;
        var p01 = _p01;
        _p00 = (1 - k0) * p00;
        _p01 = (1 - k0) * p01;
        _p11 -= k1 * p01;
    }

    /// <summary>Forgets the velocity: the scene was seen to be still.</summary>
    public void Stop() => Velocity = 0;
}
