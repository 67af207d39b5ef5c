using System.Text.Json;
using System.Text.Json.Serialization;
using Pmcm.Core.Volumes;

namespace Pmcm.Core.Runs;

/// <summary>A <see cref="Shape3"/> as the JSON array [X, Y, Z] of positive integers.</summary>
public sealed class Shape3JsonConverter : JsonConverter<Shape3>
{
    public override Shape3 Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var values = JsonSerializer.Deserialize<int[]>(ref reader, options);
        if (values is not { Length: 3 } || values.Any(v => v <= 0)) throw new JsonException("expected an array of three positive integers [X, Y, Z]");
        return new Shape3(values[0], values[1], values[2]);
    }

    public override void Write(Utf8JsonWriter writer, Shape3 value, JsonSerializerOptions options)
    {
        writer.WriteStartArray();
        writer.WriteNumberValue(value.X);
        writer.WriteNumberValue(value.Y);
        writer.WriteNumberValue(value.Z);
        writer.WriteEndArray();
    }
}
