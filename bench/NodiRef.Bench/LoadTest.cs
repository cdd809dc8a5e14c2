using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace NodiRef.Bench;

/// <summary>
/// An HTTP/1.1 load generator that can be trusted to count: each connection sends a request, waits
/// for its whole answer, and sends the next; when the time is up, no new request is sent and every
/// request in flight is waited for. So the number of answers per status is exact, unlike wrk, which
/// drops the answers still in flight when its time is up. Keep-alive, no pipelining, raw sockets
/// (an HttpClient would spend several times more CPU on the 2 cores it shares with the server).
/// </summary>
internal static class LoadTest
{
    // Latencies in 10 µs buckets up to 1 s; slower answers go into the last bucket.
    private const int BucketMicros = 10;
    private const int Buckets = 100_000;

    /// <param name="paths">Request targets; each request picks one at random.</param>
    public static async Task<int> RunAsync(Uri server, IReadOnlyList<string> paths, int connections, TimeSpan duration, TimeSpan drainLimit)
    {
        var endpoint = new IPEndPoint(
            IPAddress.TryParse(server.Host, out var ip) ? ip : (await Dns.GetHostAddressesAsync(server.Host)).First(a => a.AddressFamily == AddressFamily.InterNetwork),
            server.Port);
        var host = $"Host: {server.Authority}\r\n";
        var requests = paths.Select(p => Encoding.ASCII.GetBytes($"GET {p} HTTP/1.1\r\n{host}\r\n")).ToArray();

        using var stop = new CancellationTokenSource();
        var workers = new Worker[connections];
        for (var i = 0; i < connections; i++)
        {
            workers[i] = new Worker(endpoint, requests, new Random(1000 + i));
        }

        var started = Stopwatch.GetTimestamp();
        var running = workers.Select(w => Task.Run(() => w.RunAsync(stop.Token))).ToArray();
        await Task.Delay(duration);
        stop.Cancel();
        var stopped = Stopwatch.GetTimestamp();

        // Every request already sent is waited for; only a server that never answers ends this early.
        var all = Task.WhenAll(running);
        var drained = await Task.WhenAny(all, Task.Delay(drainLimit)) == all;
        var finished = Stopwatch.GetTimestamp();
        var inFlight = workers.Count(w => w.InFlight);

        var statuses = new SortedDictionary<int, long>();
        var histogram = new long[Buckets];
        foreach (var w in workers)
        {
            foreach (var (status, count) in w.Statuses)
            {
                statuses[status] = statuses.GetValueOrDefault(status) + count;
            }

            for (var b = 0; b < Buckets; b++)
            {
                histogram[b] += w.Histogram[b];
            }
        }

        var answered = statuses.Values.Sum();
        var seconds = Stopwatch.GetElapsedTime(started, finished).TotalSeconds;
        var errors = workers.Sum(w => w.Errors);
        var exact = drained && inFlight == 0 && errors == 0;
        var ci = CultureInfo.InvariantCulture;

        // key=value lines: bench/tracking.sh reads them.
        Console.WriteLine(string.Create(ci, $"answered={answered}"));
        Console.WriteLine(string.Create(ci, $"ok={statuses.GetValueOrDefault(200)}"));
        Console.WriteLine($"statuses={string.Join(',', statuses.Select(s => $"{s.Key}:{s.Value}"))}");
        Console.WriteLine(string.Create(ci, $"errors={errors}"));
        Console.WriteLine(string.Create(ci, $"unanswered={inFlight}"));
        Console.WriteLine(string.Create(ci, $"seconds={seconds:F3}"));
        Console.WriteLine(string.Create(ci, $"drain_ms={Stopwatch.GetElapsedTime(stopped, finished).TotalMilliseconds:F1}"));
        Console.WriteLine(string.Create(ci, $"rps={answered / seconds:F0}"));
        Console.WriteLine(string.Create(ci, $"p50_ms={Percentile(histogram, answered, 0.50):F2}"));
        Console.WriteLine(string.Create(ci, $"p99_ms={Percentile(histogram, answered, 0.99):F2}"));
        Console.WriteLine(string.Create(ci, $"max_ms={workers.Max(w => w.MaxMicros) / 1000.0:F2}"));
        Console.WriteLine($"exact={(exact ? "yes" : "no")}");
        return exact ? 0 : 1;
    }

    private static double Percentile(long[] histogram, long total, double p)
    {
        var rank = (long)Math.Ceiling(total * p);
        long seen = 0;
        for (var b = 0; b < histogram.Length; b++)
        {
            seen += histogram[b];
            if (seen >= rank && rank > 0)
            {
                return (b + 1) * BucketMicros / 1000.0;
            }
        }

        return 0;
    }

    private sealed class Worker(IPEndPoint endpoint, byte[][] requests, Random random)
    {
        private byte[] _buffer = new byte[16 * 1024];

        public Dictionary<int, long> Statuses { get; } = [];
        public long[] Histogram { get; } = new long[Buckets];
        public long MaxMicros { get; private set; }
        public long Errors { get; private set; }
        public bool InFlight { get; private set; }

        public async Task RunAsync(CancellationToken stop)
        {
            Socket? socket = null;
            try
            {
                while (!stop.IsCancellationRequested)
                {
                    if (socket is null)
                    {
                        socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                        await socket.ConnectAsync(endpoint, CancellationToken.None);
                    }

                    var request = requests[requests.Length == 1 ? 0 : random.Next(requests.Length)];
                    var start = Stopwatch.GetTimestamp();
                    InFlight = true;

                    // Not cancelled by the stop: an answer already asked for is always waited for.
                    await socket.SendAsync(request, SocketFlags.None, CancellationToken.None);
                    var (status, keepAlive) = await ReadResponseAsync(socket);
                    InFlight = false;

                    var micros = (long)Stopwatch.GetElapsedTime(start).TotalMicroseconds;
                    Histogram[Math.Min(micros / BucketMicros, Buckets - 1)]++;
                    MaxMicros = Math.Max(MaxMicros, micros);
                    Statuses[status] = Statuses.GetValueOrDefault(status) + 1;
                    if (!keepAlive)
                    {
                        socket.Dispose();
                        socket = null;
                    }
                }
            }
            catch (Exception e) when (e is SocketException or IOException or InvalidDataException)
            {
                Errors++;
                Console.Error.WriteLine($"connection error: {e.Message}");
            }
            finally
            {
                socket?.Dispose();
            }
        }

        /// <summary>Reads one whole response (Content-Length or chunked body); its status and whether the connection stays open.</summary>
        private async Task<(int Status, bool KeepAlive)> ReadResponseAsync(Socket socket)
        {
            var filled = 0;
            int headerEnd;
            while ((headerEnd = _buffer.AsSpan(0, filled).IndexOf("\r\n\r\n"u8)) < 0)
            {
                filled += await ReceiveAsync(socket, filled);
            }

            var headers = Encoding.ASCII.GetString(_buffer, 0, headerEnd);
            var status = int.Parse(headers.AsSpan(9, 3), CultureInfo.InvariantCulture);
            var keepAlive = !headers.Contains("\r\nConnection: close", StringComparison.OrdinalIgnoreCase);
            var bodyStart = headerEnd + 4;
            var length = HeaderValue(headers, "Content-Length");
            if (length is not null)
            {
                var end = bodyStart + int.Parse(length, CultureInfo.InvariantCulture);
                while (filled < end)
                {
                    filled += await ReceiveAsync(socket, filled);
                }

                return (status, keepAlive);
            }

            if (HeaderValue(headers, "Transfer-Encoding")?.Contains("chunked", StringComparison.OrdinalIgnoreCase) != true)
            {
                return (status, keepAlive);
            }

            // Chunks: size in hex, CRLF, data, CRLF; a zero size and an empty line end the body.
            var at = bodyStart;
            while (true)
            {
                int lineEnd;
                while ((lineEnd = _buffer.AsSpan(at, filled - at).IndexOf("\r\n"u8)) < 0)
                {
                    filled += await ReceiveAsync(socket, filled);
                }

                var sizeText = Encoding.ASCII.GetString(_buffer, at, lineEnd).Split(';')[0];
                var size = int.Parse(sizeText, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                var next = at + lineEnd + 2 + size + 2;
                while (filled < next)
                {
                    filled += await ReceiveAsync(socket, filled);
                }

                if (size == 0)
                {
                    return (status, keepAlive);
                }

                at = next;
            }
        }

        private async Task<int> ReceiveAsync(Socket socket, int filled)
        {
            if (filled == _buffer.Length)
            {
                Array.Resize(ref _buffer, _buffer.Length * 2);
            }

            var read = await socket.ReceiveAsync(_buffer.AsMemory(filled), SocketFlags.None, CancellationToken.None);
            return read > 0 ? read : throw new IOException("The server closed the connection before answering.");
        }

        private static string? HeaderValue(string headers, string name)
        {
            var at = headers.IndexOf("\r\n" + name + ":", StringComparison.OrdinalIgnoreCase);
            if (at < 0)
            {
                return null;
            }

            var start = at + name.Length + 3;
            var end = headers.IndexOf("\r\n", start, StringComparison.Ordinal);
            return headers[start..(end < 0 ? headers.Length : end)].Trim();
        }
    }
}
