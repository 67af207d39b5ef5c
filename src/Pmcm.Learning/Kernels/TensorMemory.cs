using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace Pmcm.Learning.Kernels;

/// <summary>
/// How the fused kernels reach memory: a CPU float32 tensor's elements in place (libtorch memory does not move),
/// float arrays on the pinned heap for their own intermediates, and scalar results as float32 tensors.
/// </summary>
internal static unsafe class TensorMemory
{
    /// <summary>True when every tensor is a float32 CPU tensor, the only kind the fused kernels read.</summary>
    public static bool Supports(params Tensor[] tensors) =>
        tensors.All(t => t.device_type == DeviceType.CPU && t.dtype == ScalarType.Float32);

    /// <summary>The first element of a contiguous float32 CPU tensor.</summary>
    public static float* Pointer(Tensor contiguous) =>
        (float*)Unsafe.AsPointer(ref MemoryMarshal.GetReference(contiguous.bytes));

    /// <summary>A new float array on the pinned heap, so kernels can address it without <c>fixed</c>.</summary>
    public static float[] Pinned(long length) => GC.AllocateUninitializedArray<float>(checked((int)length), pinned: true);

    public static float* Pointer(float[] pinned) => (float*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(pinned));

    /// <summary>A scalar float32 tensor holding <paramref name="value"/>.</summary>
    public static Tensor Scalar(double value) => tensor((float)value);
}
