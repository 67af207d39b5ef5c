using static TorchSharp.torch;

namespace Pmcm.Learning.Training;

/// <summary>Turns named scalar loss tensors into numbers, stopping on the first NaN or infinity with its name.</summary>
public static class LossGuard
{
    public static Dictionary<string, double> Check(long iteration, params (string Name, Tensor Value)[] terms)
    {
        var values = new Dictionary<string, double>();
        foreach (var (name, tensor) in terms)
        {
            var value = PmcmStep.Value(tensor);
            if (!double.IsFinite(value)) throw new NonFiniteLossException(name, value, iteration);
            values[name] = value;
        }
        return values;
    }
}
