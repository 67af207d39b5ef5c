using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Pmcm.Core.IO;
using Pmcm.Core.Volumes;
using Spectre.Console;

namespace Pmcm.Cli.Commands;

/// <summary>`pmcm info FILE [--json]`: shape, type, geometry, value range and labels of a volume file (every dataset of an .h5).</summary>
public static class InfoCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("file") { Description = "A .nii, .nii.gz, .nrrd, .nhdr or .h5 file" };
        var json = CommonOptions.Json();
        var command = new Command("info", "Describe a volume file") { file, json };
        command.SetAction(parse => CliRunner.Guard(() =>
        {
            var path = parse.GetValue(file)!.FullName;
            var report = Describe(path);
            if (parse.GetValue(json)) Console.WriteLine(report.ToJsonString(Ui.Json));
            else Print(report);
            return 0;
        }));
        return command;
    }

    /// <summary>
    /// The report as JSON: {file, format, shape, dtype, spacing, origin, direction, min, max, mean, labels}
    /// for single-volume files; {file, format, datasets: [{name, shape, dtype, min, max, mean, labels}]} for .h5.
    /// </summary>
    public static JsonObject Describe(string path)
    {
        var format = VolumeFormats.FromPath(path);
        var report = new JsonObject { ["file"] = path, ["format"] = FormatName(format) };
        if (format != VolumeFormat.Hdf5)
        {
            var volume = VolumeIO.Read(path);
            report["shape"] = Array(volume.Shape.X, volume.Shape.Y, volume.Shape.Z);
            report["dtype"] = volume.Type.Name();
            report["spacing"] = Array(volume.Geometry.Spacing);
            report["origin"] = Array(volume.Geometry.Origin);
            report["direction"] = Array(volume.Geometry.Direction);
            AddStats(report, volume);
            return report;
        }
        var datasets = new JsonArray();
        foreach (var info in H5Volumes.List(path))
        {
            var entry = new JsonObject { ["name"] = info.Name, ["shape"] = Array(info.Shape), ["dtype"] = info.Dtype };
            if (info.IsVolume) AddStats(entry, H5Volumes.Read(path, info.Name));
            datasets.Add(entry);
        }
        report["datasets"] = datasets;
        return report;
    }

    private static string FormatName(VolumeFormat format) => format switch
    {
        VolumeFormat.Nifti or VolumeFormat.NiftiGz => "nifti",
        VolumeFormat.Nrrd or VolumeFormat.Nhdr => "nrrd",
        _ => "hdf5",
    };

    private static void AddStats(JsonObject o, Volume volume)
    {
        var s = VolumeSummary.Of(volume);
        o["min"] = s.Min;
        o["max"] = s.Max;
        o["mean"] = s.Mean;
        o["labels"] = s.Labels is null ? null : Array(s.Labels);
    }

    private static JsonArray Array<T>(params IEnumerable<T> values) => new(values.Select(v => JsonValue.Create(v)).ToArray<JsonNode?>());

    private static readonly string[] Fields = ["name", "shape", "dtype", "spacing", "origin", "min", "max", "mean", "labels"];

    /// <summary>A single volume as a field/value table; the datasets of an .h5 as one row each.</summary>
    private static void Print(JsonObject report)
    {
        var console = Ui.Out();
        console.WriteLine($"{report["file"]} ({report["format"]})");
        var table = new Table().Border(TableBorder.Rounded);
        if (report["datasets"] is JsonArray datasets)
        {
            var rows = datasets.OfType<JsonObject>().ToList();
            foreach (var key in Fields.Where(k => rows.Any(r => r.ContainsKey(k))))
                table.AddColumn(new TableColumn(key) { Alignment = key is "min" or "max" or "mean" ? Justify.Right : Justify.Left });
            foreach (var row in rows)
                table.AddRow(Fields.Where(k => rows.Any(r => r.ContainsKey(k))).Select(k => Markup.Escape(Text(k, row[k]))).ToArray());
        }
        else
        {
            table.AddColumn("field").AddColumn("value");
            foreach (var key in Fields.Where(report.ContainsKey))
                table.AddRow(key, Markup.Escape(Text(key, report[key])));
        }
        console.Write(table);
    }

    private static string Text(string key, JsonNode? node) => node switch
    {
        null => key == "labels" ? "-" : "",
        JsonArray a => string.Join(key is "shape" or "spacing" ? " × " : ", ", a.Select(n => Text(key, n))),
        JsonValue v when v.GetValueKind() == JsonValueKind.Number => double.Parse(v.ToJsonString(), CultureInfo.InvariantCulture).ToString("G6", CultureInfo.InvariantCulture),
        _ => node.ToString(),
    };
}
