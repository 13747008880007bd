package io.jsorc.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class JsonArgumentTest {

    @Test
    void oneSurroundingPairOfSingleQuotesIsRemoved() {
        assertEquals("{\"a\":1}", JsonArgument.unquote("'{\"a\":1}'"));
    }

    @Test
    void unquotedTextIsKept() {
        assertEquals("{\"a\":\"it's\"}", JsonArgument.unquote("{\"a\":\"it's\"}"));
        assertEquals("\"x\"", JsonArgument.unquote("\"x\""));
        assertEquals("'", JsonArgument.unquote("'"));
    }

    @Test
    void nullStaysNull() {
        assertNull(JsonArgument.unquote(null));
    }
}
