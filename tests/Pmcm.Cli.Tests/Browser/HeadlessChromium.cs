using System.Diagnostics;
using System.Net.Http;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Pmcm.Cli.Tests.Browser;

/// <summary>
/// Debian's Chromium, headless, driven over the DevTools protocol (a WebSocket; no npm, no driver): open a page,
/// evaluate JavaScript in it, take a screenshot. Started with the flags that work in a closed sandbox (no
/// sandbox, no GPU, no background networking) and a fresh profile.
/// </summary>
public sealed class HeadlessChromium : IDisposable
{
    public const string Executable = "/usr/bin/chromium";

    private readonly Process process;
    private readonly string profile = Directory.CreateTempSubdirectory("pmcm-chromium-").FullName;
    private readonly ClientWebSocket socket = new();
    private int nextId;

    public static bool Installed => File.Exists(Executable);

    public HeadlessChromium(int width = 1280, int height = 1600)
    {
        process = Process.Start(new ProcessStartInfo(Executable)
        {
            ArgumentList =
            {
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--allow-file-access-from-files", $"--window-size={width},{height}",
                $"--user-data-dir={profile}", "--remote-debugging-port=0", "about:blank",
            },
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        })!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        // Chromium writes the port it chose to DevToolsActivePort in the profile.
        var portFile = Path.Combine(profile, "DevToolsActivePort");
        var clock = Stopwatch.StartNew();
        while (!File.Exists(portFile) || File.ReadAllLines(portFile).Length < 2)
        {
            if (process.HasExited) throw new InvalidOperationException($"chromium exited with code {process.ExitCode} before it listened");
            if (clock.Elapsed > TimeSpan.FromSeconds(60)) throw new TimeoutException("chromium did not open its DevTools port in 60 s");
            Thread.Sleep(100);
        }
        var port = int.Parse(File.ReadAllLines(portFile)[0]);
        using var http = new HttpClient();
        var targets = JsonNode.Parse(http.GetStringAsync($"http://127.0.0.1:{port}/json/list").Result)!.AsArray();
        var page = targets.First(t => (string?)t!["type"] == "page")!;
        socket.ConnectAsync(new Uri((string)page["webSocketDebuggerUrl"]!), CancellationToken.None).Wait();
    }

    /// <summary>Opens a URL and waits until the document and its images have loaded.</summary>
    public void Open(string url)
    {
        Send("Page.navigate", new JsonObject { ["url"] = url });
        var clock = Stopwatch.StartNew();
        while (Evaluate("document.readyState + ' ' + location.href").GetString() is var state && state != "complete " + url)
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(30)) throw new TimeoutException($"{url} did not load in 30 s (last: {state})");
            Thread.Sleep(100);
        }
    }

    /// <summary>The value of a JavaScript expression (returned by value, promises awaited).</summary>
    public JsonElement Evaluate(string expression)
    {
        var result = Send("Runtime.evaluate", new JsonObject { ["expression"] = expression, ["returnByValue"] = true, ["awaitPromise"] = true });
        if (result.TryGetProperty("exceptionDetails", out var error)) throw new InvalidOperationException($"{expression}: {error}");
        return result.GetProperty("result").TryGetProperty("value", out var value) ? value.Clone() : default;
    }

    /// <summary>A PNG of the whole page (beyond the window's height).</summary>
    public byte[] Screenshot()
    {
        var result = Send("Page.captureScreenshot", new JsonObject { ["format"] = "png", ["captureBeyondViewport"] = true });
        return Convert.FromBase64String(result.GetProperty("data").GetString()!);
    }

    private JsonElement Send(string method, JsonObject parameters)
    {
        var id = ++nextId;
        var message = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters }.ToJsonString();
        socket.SendAsync(Encoding.UTF8.GetBytes(message), WebSocketMessageType.Text, true, CancellationToken.None).Wait();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            // Events arrive on the same socket; skip them until the answer to this call.
            using var reply = JsonDocument.Parse(Receive(timeout.Token));
            if (!reply.RootElement.TryGetProperty("id", out var replyId) || replyId.GetInt32() != id) continue;
            if (reply.RootElement.TryGetProperty("error", out var error)) throw new InvalidOperationException($"{method}: {error}");
            return reply.RootElement.GetProperty("result").Clone();
        }
    }

    private string Receive(CancellationToken cancellation)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[64 * 1024];
        while (true)
        {
            var part = socket.ReceiveAsync(chunk, cancellation).Result;
            buffer.Write(chunk, 0, part.Count);
            if (part.EndOfMessage) return Encoding.UTF8.GetString(buffer.ToArray());
        }
    }

    public void Dispose()
    {
        socket.Dispose();
        try
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            process.WaitForExit(10_000);
        }
        catch (InvalidOperationException) { }
        process.Dispose();
        try { Directory.Delete(profile, recursive: true); } catch (IOException) { }
    }
}

/// <summary>A test that needs Debian's Chromium; skipped, saying how to get it, where it is not installed.</summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public ChromiumFactAttribute()
    {
        if (!HeadlessChromium.Installed)
            Skip = $"{HeadlessChromium.Executable} not found: install Debian's chromium package (apt-get install chromium; .ci/run does) to open the HTML report in a browser";
    }
}
