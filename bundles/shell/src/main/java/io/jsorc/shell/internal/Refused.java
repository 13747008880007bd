package io.jsorc.shell.internal;

import io.jsorc.api.config.GlobException;
import java.io.IOException;
import org.apache.karaf.shell.support.CommandException;

/**
 * Input the platform refuses (a bad name or JSON, a stale revision, a value too large, an unknown service, a file
 * that cannot be read) is the user's to fix, and a wait for a service whose code hangs ends at its bound: either
 * becomes a Karaf
 * {@link CommandException}, which the console prints as one line ("Error executing command: ...") and logs at
 * DEBUG only, and which makes {@code bin/client} exit with 1. A failing store ({@code STORAGE}) is not refused
 * input and goes on as it is (logged as an ERROR, with its stack).
 */
final class Refused {

    /** A command's work. */
    @FunctionalInterface
    interface Work {
        void run() throws Exception;
    }

    private Refused() {
    }

    /** Runs {@code work}; refused input comes out as a {@link CommandException} with the refusal's message. */
    static Object guard(Work work) throws Exception {
        try {
            work.run();
            return null;
        } catch (GlobException e) {
            if (e.reason() == GlobException.Reason.STORAGE) {
                throw e;
            }
            throw new CommandException(e.getMessage(), e);
        } catch (IllegalArgumentException | java.util.concurrent.CancellationException e) {
            // refused input, or a wait for a service whose code hangs given up at its bound (MetaService's contract)
            throw new CommandException(e.getMessage(), e);
        } catch (IOException e) {
            throw new CommandException("Cannot read " + e.getMessage(), e);
        }
    }
}
