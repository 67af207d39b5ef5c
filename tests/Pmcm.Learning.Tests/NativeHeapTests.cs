using System.Runtime.InteropServices;

namespace Pmcm.Learning.Tests;

public class NativeHeapTests
{
    /// <summary>mallopt answers 1 only for a parameter it knows with a value in range, so this checks the constants too.</summary>
    [Fact]
    public void Glibc_takes_both_heap_settings_and_other_systems_none()
    {
        var glibc = OperatingSystem.IsLinux() && NativeLibrary.TryLoad("libc.so.6", out var libc)
                    && NativeLibrary.TryGetExport(libc, "gnu_get_libc_version", out _);
        Assert.Equal(glibc, NativeHeap.RetainFreedMemory());
        NativeHeap.ReleaseFreeMemory();
    }
}
