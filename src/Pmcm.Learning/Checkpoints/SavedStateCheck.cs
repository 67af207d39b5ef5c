using System.Buffers.Binary;
using System.Text;
using Pmcm.Core;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pmcm.Learning.Checkpoints;

/// <summary>
/// Walks the bytes TorchSharp wrote with <c>Module.save</c> and <c>OptimizerHelper.save_state_dict</c> and checks
/// every count, name, dtype and shape against the module or SGD optimiser they are about to be loaded into.
/// TorchSharp's own loaders pass some of these numbers to libtorch unchecked (SGD's momentum buffer is created
/// with the stored shape before anything is compared), so a stray byte could crash the process; after this
/// check nothing but well-formed, matching data reaches them.
/// </summary>
public static class SavedStateCheck
{
    /// <summary>Module.save: LEB128 count, then per tensor a .NET string key and a tensor.</summary>
    public static void Module(byte[] bytes, nn.Module module, string what)
    {
        var expected = module.state_dict();
        var r = new Cursor(bytes, what);
        var count = r.Leb128();
        if (count != expected.Count) throw r.Fail($"holds {count} tensors, the network has {expected.Count}");
        var seen = new HashSet<string>();
        for (var i = 0; i < count; i++)
        {
            var key = r.String();
            if (!expected.TryGetValue(key, out var target)) throw r.Fail($"has a tensor '{Printable.Clip(key)}' the network does not");
            if (!seen.Add(key)) throw r.Fail($"holds '{key}' twice");
            r.Tensor(key, target.dtype, target.shape);
        }
        r.End();
    }

    /// <summary>OptimizerHelper.save_state_dict of SGD: type name, group and state counts, each group's settings, each parameter's optional momentum buffer.</summary>
    public static void Sgd(byte[] bytes, SGD optimizer, string what)
    {
        var r = new Cursor(bytes, what);
        var name = r.String();
        if (name != optimizer.GetType().Name) throw r.Fail($"holds optimiser '{Printable.Clip(name)}', not {optimizer.GetType().Name}");
        var parameters = optimizer.parameters().ToList();
        var groups = optimizer.ParamGroups.Count();
        var groupCount = r.Leb128();
        var stateCount = r.Leb128();
        if (groupCount != groups || stateCount != parameters.Count)
            throw r.Fail($"holds {groupCount} parameter groups and {stateCount} states, the optimiser has {groups} and {parameters.Count}");
        for (var g = 0; g < groups; g++)
        {
            foreach (var setting in new[] { "initial lr", "lr", "momentum", "dampening", "weight decay" })
            {
                var value = r.Double();
                if (!double.IsFinite(value) || value < 0) throw r.Fail($"has SGD {setting} {value}");
            }
            r.Boolean("nesterov");
            r.Boolean("maximize");
        }
        for (var i = 0; i < parameters.Count; i++)
            if (r.Boolean("has momentum buffer")) r.Tensor($"momentum buffer {i}", parameters[i].dtype, parameters[i].shape);
        r.End();
    }

    private sealed class Cursor(byte[] bytes, string what)
    {
        private int position;

        public PmcmException Fail(string problem) => new($"{what} {problem}; the checkpoint is corrupt or for another network");

        public long Leb128()
        {
            long value = 0;
            for (var shift = 0; shift < 63; shift += 7)
            {
                var b = Take(1)[0];
                value |= (long)(b & 0x7f) << shift;
                if ((b & 0x80) == 0) return value;
            }
            throw Fail("has an over-long integer");
        }

        public string String()
        {
            var length = 0;
            for (var shift = 0; ; shift += 7)
            {
                if (shift > 28) throw Fail("has an over-long string length");
                var b = Take(1)[0];
                length |= (b & 0x7f) << shift;
                if ((b & 0x80) == 0) break;
            }
            if (length > 4096) throw Fail($"has a {length}-byte name");
            try
            {
                return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(Take(length));
            }
            catch (DecoderFallbackException)
            {
                throw Fail("has a name that is not UTF-8");
            }
        }

        public double Double() => BinaryPrimitives.ReadDoubleLittleEndian(Take(8));

        public bool Boolean(string field) => Take(1)[0] switch
        {
            0 => false,
            1 => true,
            var b => throw Fail($"has {field} byte {b}, not 0 or 1"),
        };

        /// <summary>TorchSharp's tensor record: LEB128 dtype, rank and sizes, then the raw elements.</summary>
        public void Tensor(string key, ScalarType dtype, long[] shape)
        {
            var type = Leb128();
            if (type != (long)dtype) throw Fail($"stores '{key}' as dtype {type}, the network has {dtype}");
            var rank = Leb128();
            if (rank != shape.Length) throw Fail($"stores '{key}' with rank {rank}, the network has {shape.Length}");
            foreach (var size in shape)
                if (Leb128() != size) throw Fail($"stores '{key}' with another shape than the network's ({string.Join(", ", shape)})");
            Take(checked((int)(shape.Aggregate(1L, (a, b) => a * b) * ElementSize(dtype))));
        }

        public void End()
        {
            if (position != bytes.Length) throw Fail($"has {bytes.Length - position} bytes after its last tensor");
        }

        private ReadOnlySpan<byte> Take(int count)
        {
            if (count < 0 || bytes.Length - position < count) throw Fail("ends early");
            var span = bytes.AsSpan(position, count);
            position += count;
            return span;
        }

        private static int ElementSize(ScalarType type) => type switch
        {
            ScalarType.Float32 or ScalarType.Int32 => 4,
            ScalarType.Float64 or ScalarType.Int64 => 8,
            ScalarType.Float16 or ScalarType.BFloat16 or ScalarType.Int16 => 2,
            ScalarType.Byte or ScalarType.Int8 or ScalarType.Bool => 1,
            _ => throw new PmcmException($"tensor dtype {type} is not expected in a checkpoint"),
        };
    }
}
