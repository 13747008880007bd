package io.jsorc.meta.internal;

import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The context registry ({@code addContext/getContext/buildContext}): a name → class and trailing constructor
 * arguments. Thread-safe. Entries are dropped when the class's bundle stops ({@link #dropLoadedBy}).
 */
final class Contexts {

    private record Entry(Class<?> type, Object[] args) {
    }

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    void add(String name, Class<?> type, Object... args) {
        if (name == null || type == null) {
            throw new IllegalArgumentException("a context needs a name and a class");
        }
        entries.put(name, new Entry(type, args == null ? new Object[0] : args.clone()));
    }

    Class<?> get(String name) {
        Entry entry = entries.get(name);
        return entry == null ? null : entry.type();
    }

    /** Drops every context whose class was loaded by {@code loader}. */
    void dropLoadedBy(ClassLoader loader) {
        entries.values().removeIf(entry -> entry.type().getClassLoader() == loader);
    }

    Object build(String name, Object... callArgs) {
        Entry entry = entries.get(name);
        if (entry == null) {
            throw new IllegalArgumentException("Context " + name + " is not yet set!");
        }
        Object[] call = callArgs == null ? new Object[0] : callArgs;
        Object[] all = Arrays.copyOf(call, call.length + entry.args().length);
        System.arraycopy(entry.args(), 0, all, call.length, entry.args().length);
        List<Constructor<?>> fits = new ArrayList<>();
        for (Constructor<?> constructor : entry.type().getConstructors()) {
            if (Modifier.isPublic(constructor.getModifiers()) && accepts(constructor.getParameterTypes(), all)) {
                fits.add(constructor);
            }
        }
        if (fits.size() != 1) {
            throw new IllegalArgumentException((fits.isEmpty() ? "No" : "More than one")
                    + " public constructor of " + entry.type().getName() + " accepts " + describe(all)
                    + "; candidates: " + Arrays.toString(entry.type().getConstructors()));
        }
        try {
            return fits.get(0).newInstance(all);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("Building context " + name + " failed: " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Building context " + name + " failed: " + e, e);
        }
    }

    private static boolean accepts(Class<?>[] types, Object[] args) {
        if (types.length != args.length) {
            return false;
        }
        for (int i = 0; i < types.length; i++) {
            Class<?> type = types[i].isPrimitive() ? MethodType.methodType(types[i]).wrap().returnType() : types[i];
            if (args[i] == null ? types[i].isPrimitive() : !type.isInstance(args[i])) {
                return false;
            }
        }
        return true;
    }

    private static String describe(Object[] args) {
        List<String> types = new ArrayList<>();
        for (Object arg : args) {
            types.add(arg == null ? "null" : arg.getClass().getName());
        }
        return "(" + String.join(", ", types) + ")";
    }
}
