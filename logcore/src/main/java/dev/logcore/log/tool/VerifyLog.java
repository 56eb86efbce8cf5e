package dev.logcore.log.tool;

import dev.logcore.io.BackendSetting;
import dev.logcore.io.BackendUnavailableException;
import dev.logcore.io.DiskIo;
import dev.logcore.io.DiskIoConfig;
import dev.logcore.io.DiskIoException;
import dev.logcore.io.DiskIoProviders;
import dev.logcore.log.LogVerifier;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * {@code ./logcore verify-log <dir>}: checks a whole log (or one topic, or one partition) without
 * changing it and prints what it found, segment by segment.
 *
 * <p>Exit status: 0 every byte is intact; 1 recoverable (a torn unsynced tail or an index that
 * opening the log repairs, losing nothing acknowledged); 2 corruption of synced data (opening
 * fences the partition); 3 usage or I/O error. The backend is chosen like everywhere else
 * ({@code --backend}, {@code LOGCORE_BACKEND}, {@code -Dlogcore.backend}, else auto).
 */
public final class VerifyLog {
    private VerifyLog() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the tool; returns the exit status. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        List<String> rest = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals(BackendSetting.FLAG)) {
                i++;
            } else if (!args[i].startsWith(BackendSetting.FLAG + "=")) {
                rest.add(args[i]);
            }
        }
        if (rest.size() != 1 || rest.get(0).startsWith("-")) {
            err.println("usage: verify-log [--backend NAME] <log, topic or partition directory>");
            return 3;
        }
        Path dir = Path.of(rest.get(0));
        DiskIoProviders.Selection sel;
        BackendSetting setting;
        try {
            setting = BackendSetting.resolve(List.of(args), System.getenv(), System.getProperties(), new Properties());
            sel = DiskIoProviders.select(setting.value());
        } catch (BackendUnavailableException | IllegalArgumentException e) {
            err.println("verify-log: " + e.getMessage());
            return 3;
        }
        try (DiskIo io = sel.provider().open(DiskIoConfig.defaults())) {
            out.println("verifying " + dir.toAbsolutePath() + " (backend " + io.providerName() + ", from " + setting.source() + ")");
            LogVerifier.Report report = new LogVerifier(io).verify(dir);
            for (LogVerifier.PartitionReport p : report.partitions()) {
                out.println(p.dir());
                for (String line : p.lines()) {
                    out.println("  " + line);
                }
            }
            LogVerifier.Status s = report.status();
            out.println("result: " + s + " (" + report.partitions().size() + " partitions)");
            return switch (s) {
                case OK -> 0;
                case RECOVERABLE -> 1;
                case CORRUPT -> 2;
            };
        } catch (DiskIoException e) {
            err.println("verify-log: " + e.getMessage());
            return 3;
        } catch (IOException | RuntimeException e) {
            err.println("verify-log: " + e);
            return 3;
        }
    }
}
