package io.jsorc.shell.internal;

import org.apache.karaf.shell.api.console.CommandLine;

/** A command line whose cursor is at the end of {@code prefix}, the second word. */
record FakeCommandLine(String command, String prefix) implements CommandLine {

    @Override
    public int getCursorArgumentIndex() {
        return 1;
    }

    @Override
    public String getCursorArgument() {
        return prefix;
    }

    @Override
    public int getArgumentPosition() {
        return prefix.length();
    }

    @Override
    public String[] getArguments() {
        return new String[] {command, prefix};
    }

    @Override
    public int getBufferPosition() {
        return getBuffer().length();
    }

    @Override
    public String getBuffer() {
        return command + " " + prefix;
    }
}
