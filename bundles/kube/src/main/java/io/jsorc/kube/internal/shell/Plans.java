package io.jsorc.kube.internal.shell;

import io.jsorc.kube.internal.Reconciler;
import java.io.PrintStream;

/** A plan or an apply, one object per line, fields of an update indented below it. */
final class Plans {

    private Plans() {
    }

    static void print(Reconciler.Result result, PrintStream out) {
        for (Reconciler.Step step : result.steps()) {
            String word = switch (step.action()) {
                case CREATE -> "create   ";
                case UPDATE -> "update   ";
                case ADOPT -> "adopt    ";
                case UNCHANGED -> "unchanged";
                case PRUNE -> "prune    ";
                case KEPT_PROTECTED -> "keep     ";
                case LEFT_UNOWNED -> "leave    ";
            };
            String why = switch (step.action()) {
                case KEPT_PROTECTED -> " (protected kind: deleted only with --unsafe-paraphrase)";
                case LEFT_UNOWNED -> " (exists, not ours — no jsorc.io/owner and jsorc.io/namespace of this "
                        + "platform: left alone; --adopt takes it over)";
                default -> "";
            };
            if (step.action() != Reconciler.Action.UNCHANGED) {
                out.println(word + " " + step.where() + why);
                for (String field : step.fields()) {
                    out.println("            " + field);
                }
            }
        }
    }
}
