using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using NodiRef.Admin.Hosting;

namespace NodiRef.Admin.Tests.Support;

/// <summary>
/// The built app (NodiRef.Admin.dll beside the tests) run as its own process in a folder, on a SQLite file there,
/// as an operator runs it: to be killed outright (SIGKILL) and started again on the same database.
/// </summary>
public sealed class AppProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _output = new();

    private AppProcess(Process process, Uri url)
    {
        _process = process;
        Url = url;
    }

    public Uri Url { get; }

    /// <summary>Every line the app wrote (standard output and error), for a failure's message.</summary>
    public string Output => string.Join('\n', _output);

    /// <summary>Starts the app on a free loopback port and waits until it is listening (and, unless told otherwise, until the database is ready).</summary>
    public static async Task<AppProcess> StartAsync(string folder, IReadOnlyDictionary<string, string>? environment = null, bool waitForDatabase = true)
    {
        var url = new Uri($"http://127.0.0.1:{FreePort()}/");
        var start = StartInfo(folder, environment);
        start.Environment["ASPNETCORE_URLS"] = url.ToString().TrimEnd('/');
        var process = new Process { StartInfo = start };
        var app = new AppProcess(process, url);
        process.OutputDataReceived += (_, line) => app.Saw(line.Data);
        process.ErrorDataReceived += (_, line) => app.Saw(line.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var awaited = waitForDatabase ? app._ready.Task : app._listening.Task;
        await Task.WhenAny(awaited, process.WaitForExitAsync(Ct)).WaitAsync(TimeSpan.FromSeconds(90), Ct);
        Assert.True(awaited.IsCompleted, $"The app stopped before it was ready:\n{app.Output}");
        return app;
    }

    /// <summary>Runs a command of the app's command line (<c>create-token</c>…) in the folder to its end; answers its standard output.</summary>
    public static async Task<string> RunCommandAsync(string folder, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        using var process = Process.Start(StartInfo(folder, environment, args))!;
        var output = process.StandardOutput.ReadToEndAsync(Ct);
        var error = process.StandardError.ReadToEndAsync(Ct);
        await process.WaitForExitAsync(Ct);
        Assert.True(process.ExitCode == 0, $"{string.Join(' ', args)} exited with {process.ExitCode}: {await error}");
        return (await output).Trim();
    }

    /// <summary>Kills the process at once (SIGKILL): nothing of the app's own shutdown runs.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync(Ct);
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }

    public static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static ProcessStartInfo StartInfo(string folder, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "NodiRef.Admin.dll"), .. args])
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["ConnectionStrings__Default"] = $"Data Source={Path.Combine(folder, "nodiref.db")}";
        start.Environment["NODIREF_ADMIN_EMAIL"] = "";
        start.Environment["NODIREF_ADMIN_PASSWORD"] = "";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        return start;
    }

    private void Saw(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        if (line.Contains("Now listening on", StringComparison.Ordinal))
        {
            _listening.TrySetResult();
        }

        if (line.Contains(DatabaseStartup.ReadyMessage, StringComparison.Ordinal))
        {
            _ready.TrySetResult();
        }
    }
}
