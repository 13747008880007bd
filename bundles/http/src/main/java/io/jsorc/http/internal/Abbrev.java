package io.jsorc.http.internal;

/** Text cut for a message: a request's odd input is quoted, never pasted whole. */
final class Abbrev {

    private Abbrev() {
    }

    static String of(String text, int max) {
        String oneLine = text.replaceAll("[\\p{Cntrl}]", "?");
        return oneLine.length() <= max ? oneLine : oneLine.substring(0, max) + "... (" + text.length() + " characters)";
    }
}
