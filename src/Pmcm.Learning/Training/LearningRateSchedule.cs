using Pmcm.Core;
using TorchSharp.Modules;

namespace Pmcm.Learning.Training;

/// <summary>
/// How the SGD learning rate moves over a run. <see cref="Constant"/> is the paper's (docs/method.md §7).
/// <see cref="Poly"/> decays it as lr·(1 − t/T)^0.9, the schedule of most LA and nnU-Net trainers: late steps
/// are small, so neighbouring checkpoints differ less and the last one is not a random draw from a noisy walk.
/// </summary>
public enum LearningRateSchedule
{
    Constant,
    Poly,
}

public static class LearningRateSchedules
{
    /// <summary>The exponent of the poly schedule (nnU-Net's and the LA codebases' 0.9).</summary>
    public const double PolyPower = 0.9;

    /// <summary>The learning rate of the step that starts at <paramref name="iteration"/> (0-based) of <paramref name="iterations"/>.</summary>
    public static double At(this LearningRateSchedule schedule, double baseRate, long iteration, int iterations) => schedule switch
    {
        LearningRateSchedule.Constant => baseRate,
        LearningRateSchedule.Poly => baseRate * Math.Pow(1.0 - Math.Clamp((double)iteration / iterations, 0.0, 1.0), PolyPower),
        _ => throw new PmcmException($"unknown learning-rate schedule {schedule}"),
    };

    /// <summary>Sets every parameter group of <paramref name="optimizer"/> to the rate of this iteration.</summary>
    public static void Apply(this LearningRateSchedule schedule, SGD optimizer, double baseRate, long iteration, int iterations)
    {
        var rate = schedule.At(baseRate, iteration, iterations);
        foreach (var group in optimizer.ParamGroups) group.LearningRate = rate;
    }

    public static string Name(LearningRateSchedule schedule) => schedule.ToString().ToLowerInvariant();

    public static LearningRateSchedule Parse(string text) => text.Trim().ToLowerInvariant() switch
    {
        "constant" => LearningRateSchedule.Constant,
        "poly" => LearningRateSchedule.Poly,
        _ => throw new PmcmException($"--lr-schedule '{text}': use constant or poly"),
    };
}
