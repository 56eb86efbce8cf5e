package dev.logcore.bench.pubsub;

import java.util.List;

/**
 * One load: who publishes where, how fast, for how long.
 *
 * @param host server address
 * @param port server port
 * @param publishers publishing connections; publisher i publishes to channel i % channels
 * @param subscribers subscribing connections; subscriber j subscribes to channel j % channels
 * @param channels channels
 * @param size payload bytes (at least 20: a timestamp, the publisher and a sequence number)
 * @param pipeline PUBLISH commands written together before waiting for their replies
 * @param rate total publishes per second, open loop at fixed intended times; 0 = as fast as possible (closed loop)
 * @param warmupSeconds load before measuring
 * @param seconds measured time
 * @param threads client event loops
 * @param serverPid the server's process, for its CPU time from /proc (0 = do not measure)
 */
public record LoadOptions(String host, int port, int publishers, int subscribers, int channels, int size, int pipeline,
                          double rate, double warmupSeconds, double seconds, int threads, long serverPid) {

    public LoadOptions {
        if (publishers < 1 || subscribers < 0 || channels < 1 || pipeline < 1 || threads < 1) {
            throw new IllegalArgumentException("publishers, channels, pipeline and threads must be at least 1");
        }
        if (size < 20) {
            throw new IllegalArgumentException("size must be at least 20 bytes (timestamp, publisher, sequence)");
        }
        if (seconds <= 0 || warmupSeconds < 0 || rate < 0) {
            throw new IllegalArgumentException("seconds must be positive, warm-up and rate not negative");
        }
    }

    static LoadOptions parse(List<String> args) {
        String host = "127.0.0.1";
        int port = 6380;
        int publishers = 4;
        int subscribers = 16;
        int channels = 1;
        int size = 64;
        int pipeline = 1;
        double rate = 0;
        double warmup = 2;
        double seconds = 5;
        int threads = 2;
        long pid = 0;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            String v = i + 1 < args.size() ? args.get(i + 1) : null;
            if (v == null) {
                throw new IllegalArgumentException(a + " needs a value");
            }
            switch (a) {
                case "--host" -> host = v;
                case "--port" -> port = Integer.parseInt(v);
                case "--publishers" -> publishers = Integer.parseInt(v);
                case "--subscribers" -> subscribers = Integer.parseInt(v);
                case "--channels" -> channels = Integer.parseInt(v);
                case "--size" -> size = Integer.parseInt(v);
                case "--pipeline" -> pipeline = Integer.parseInt(v);
                case "--rate" -> rate = Double.parseDouble(v);
                case "--warmup" -> warmup = Double.parseDouble(v);
                case "--seconds" -> seconds = Double.parseDouble(v);
                case "--threads" -> threads = Integer.parseInt(v);
                case "--server-pid" -> pid = Long.parseLong(v);
                default -> throw new IllegalArgumentException("unknown option " + a);
            }
            i++;
        }
        return new LoadOptions(host, port, publishers, subscribers, channels, size, pipeline, rate, warmup, seconds, threads, pid);
    }

    LoadOptions withPort(int p, long pid) {
        return new LoadOptions(host, p, publishers, subscribers, channels, size, pipeline, rate, warmupSeconds, seconds, threads, pid);
    }

    LoadOptions withTimes(double warmup, double measured) {
        return new LoadOptions(host, port, publishers, subscribers, channels, size, pipeline, rate, warmup, measured, threads, serverPid);
    }

    String describe() {
        return publishers + " publisher(s) -> " + channels + " channel(s) x " + (subscribers / Math.max(1, channels))
                + " subscriber(s), " + size + "-byte messages, " + pipeline + " PUBLISH per flush, "
                + (rate > 0 ? String.format("%.0f publishes/s offered", rate) : "as fast as possible");
    }
}
