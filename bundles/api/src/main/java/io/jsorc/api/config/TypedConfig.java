package io.jsorc.api.config;

import java.lang.reflect.Array;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Proxy;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A typed, read-only view of a config glob's values, the way Declarative Services hands a component its
 * configuration through a component property type: {@code StripeConfig c = TypedConfig.view(StripeConfig.class,
 * getConfig())}, then {@code c.max__network__retries()}. The type is an interface or an annotation type (the
 * {@code @ObjectClassDefinition} that declares the glob's schema works as it is).
 *
 * <p>Method names map to keys as for component property types (OSGi Compendium 112.8.2.1): {@code __} is
 * {@code _}, a single {@code _} is {@code .}, {@code $$} is {@code $}, {@code $_$} is {@code -}, another {@code $}
 * is dropped. So {@code keep__alive()} reads {@code keep_alive}, and {@code kubernetes_in__cluster()} reads
 * {@code kubernetes.in_cluster}: a dotted key is looked up literally first, then as a path into nested objects.
 * A method whose return type is itself such an interface returns a view of the nested object
 * ({@code Kubernetes kubernetes()}).
 *
 * <p>Values are converted to the return type: numbers and their texts to any primitive or boxed number (refused
 * when out of range or not integral where an integer is asked for), {@code "true"}/{@code "false"} and booleans to
 * {@code boolean}, anything to {@code String}, a string to an enum constant of that name, lists (or one value) to
 * arrays, {@code List}, {@code Set} or {@code Collection} of the element type. An absent key or a null is the
 * annotation member's default when there is one, else null (zero, false or an empty array for those types). A value
 * that cannot be converted throws an {@link IllegalArgumentException} naming the key — at the call, not at
 * {@code view}. Interface {@code default} methods run as written.
 *
 * <p>The view holds the map it was given and the type, nothing else: it neither copies nor caches, and the platform
 * keeps no reference to it or to the type (a redeployed bundle's class loader stays collectable).
 *
 * <p>Thread-safety: a view is as thread-safe as its map (settings maps are unmodifiable).
 *
 * @since 1.2
 */
public final class TypedConfig {

    private TypedConfig() {
    }

    /**
     * @param type an interface or annotation type
     * @param values the glob's values (e.g. {@code CommonService.getConfig()})
     * @throws IllegalArgumentException when {@code type} is neither an interface nor an annotation type
     */
    public static <T> T view(Class<T> type, Map<String, ?> values) {
        if (!type.isInterface()) {
            throw new IllegalArgumentException(type.getName() + " is not an interface or annotation type");
        }
        Map<String, ?> map = values == null ? Map.of() : values;
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, new View(type, map)));
    }

    /** The key a method name reads (the component property type mapping). */
    public static String key(String methodName) {
        StringBuilder key = new StringBuilder(methodName.length());
        for (int i = 0; i < methodName.length(); i++) {
            char c = methodName.charAt(i);
            if (c == '$') {
                if (methodName.startsWith("$$", i)) {
                    key.append('$');
                    i++;
                } else if (methodName.startsWith("$_$", i)) {
                    key.append('-');
                    i += 2;
                }
            } else if (c == '_') {
                if (methodName.startsWith("__", i)) {
                    key.append('_');
                    i++;
                } else {
                    key.append('.');
                }
            } else {
                key.append(c);
            }
        }
        return key.toString();
    }

    private record View(Class<?> type, Map<String, ?> values) implements InvocationHandler {

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            if (method.getDeclaringClass() == Object.class) {
                return switch (method.getName()) {
                    case "equals" -> proxy == args[0];
                    case "hashCode" -> System.identityHashCode(proxy);
                    default -> type.getSimpleName() + " view of " + Secrets.mask(values);
                };
            }
            if (method.isDefault()) {
                return InvocationHandler.invokeDefault(proxy, method, args);
            }
            if (method.getParameterCount() > 0) {
                throw new UnsupportedOperationException(method.getName() + " takes parameters: not a config key");
            }
            if (type.isAnnotation()) {
                switch (method.getName()) {
                    case "annotationType":
                        return type;
                    case "toString":
                        return type.getSimpleName() + " view of " + Secrets.mask(values);
                    case "hashCode":
                        return System.identityHashCode(proxy);
                    default:
                        break;
                }
            }
            String key = key(method.getName());
            Object value = lookup(values, key);
            if (value == null && method.getDefaultValue() != null) {
                return method.getDefaultValue();
            }
            try {
                return convert(value, method.getReturnType(), method.getGenericReturnType());
            } catch (IllegalArgumentException | ArithmeticException e) {
                if (java.util.Arrays.stream(key.split("\\.")).anyMatch(Secrets::isSecretKey)
                        || Secrets.isSecretKey(key)) {
                    // the message would quote the value: a secret's never goes into an exception
                    throw new IllegalArgumentException(key + ": its value (" + Secrets.MASK + ") cannot be read as "
                            + method.getReturnType().getSimpleName());
                }
                throw new IllegalArgumentException(key + ": " + e.getMessage(), e);
            }
        }
    }

    /** The value at a key: literal first, then a dotted path into nested objects; null when absent. */
    static Object lookup(Map<?, ?> map, String key) {
        if (map.containsKey(key)) {
            return map.get(key);
        }
        for (int dot = key.indexOf('.'); dot > 0; dot = key.indexOf('.', dot + 1)) {
            if (map.get(key.substring(0, dot)) instanceof Map<?, ?> inner) {
                Object found = lookup(inner, key.substring(dot + 1));
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    static Object convert(Object value, Class<?> to, Type generic) {
        if (to.isArray()) {
            List<?> list = value == null ? List.of() : value instanceof List<?> l ? l : List.of(value);
            Object array = Array.newInstance(to.getComponentType(), list.size());
            for (int i = 0; i < list.size(); i++) {
                Array.set(array, i, convert(list.get(i), to.getComponentType(), to.getComponentType()));
            }
            return array;
        }
        if (Collection.class.isAssignableFrom(to)) {
            if (value == null) {
                return null;
            }
            Type element = generic instanceof ParameterizedType p ? p.getActualTypeArguments()[0] : String.class;
            Class<?> elementClass = element instanceof Class<?> c ? c
                    : element instanceof ParameterizedType p && p.getRawType() instanceof Class<?> raw ? raw
                    : Object.class;
            Collection<Object> out = Set.class.isAssignableFrom(to) ? new LinkedHashSet<>() : new ArrayList<>();
            for (Object e : value instanceof List<?> l ? l : List.of(value)) {
                out.add(convert(e, elementClass, element));
            }
            return Set.class.isAssignableFrom(to) ? Set.copyOf(out) : List.copyOf(out);
        }
        if (value == null) {
            return to.isPrimitive() ? primitiveZero(to) : null;
        }
        if (to == Object.class) {
            return value;
        }
        if (to == String.class) {
            return value.toString();
        }
        if (to == boolean.class || to == Boolean.class) {
            if (value instanceof Boolean b) {
                return b;
            }
            String text = value.toString().trim();
            if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) {
                return Boolean.valueOf(text);
            }
            throw new IllegalArgumentException("cannot read " + describe(value) + " as a boolean");
        }
        if (to == char.class || to == Character.class) {
            String text = value.toString();
            if (text.length() != 1) {
                throw new IllegalArgumentException("cannot read " + describe(value) + " as one character");
            }
            return text.charAt(0);
        }
        if (to.isEnum()) {
            try {
                return Enum.valueOf((Class<Enum>) to, value.toString().trim());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("cannot read " + describe(value) + " as a " + to.getSimpleName());
            }
        }
        if (Map.class.isAssignableFrom(to)) {
            if (value instanceof Map<?, ?> m) {
                return new LinkedHashMap<>(m);
            }
            throw new IllegalArgumentException("cannot read " + describe(value) + " as an object");
        }
        Class<?> boxed = box(to);
        if (Number.class.isAssignableFrom(boxed)) {
            return number(value, boxed);
        }
        if (to.isInterface() && value instanceof Map<?, ?> nested) {
            return view(to, (Map<String, ?>) nested);
        }
        throw new IllegalArgumentException("cannot read " + describe(value) + " as " + to.getSimpleName());
    }

    private static Object number(Object value, Class<?> boxed) {
        BigDecimal decimal;
        if (value instanceof BigDecimal d) {
            decimal = d;
        } else if (value instanceof Number n && !(value instanceof Double) && !(value instanceof Float)) {
            decimal = new BigDecimal(n.toString());
        } else if (value instanceof Number n) {
            decimal = BigDecimal.valueOf(n.doubleValue());
        } else {
            try {
                decimal = new BigDecimal(value.toString().trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("cannot read " + describe(value) + " as a number");
            }
        }
        try {
            if (boxed == Double.class) {
                return decimal.doubleValue();
            }
            if (boxed == Float.class) {
                return decimal.floatValue();
            }
            if (boxed == Long.class) {
                return decimal.longValueExact();
            }
            if (boxed == Integer.class) {
                return decimal.intValueExact();
            }
            if (boxed == Short.class) {
                return decimal.shortValueExact();
            }
            if (boxed == Byte.class) {
                return decimal.byteValueExact();
            }
            if (boxed == java.math.BigInteger.class) {
                return decimal.toBigIntegerExact();
            }
            if (boxed == BigDecimal.class) {
                return decimal;
            }
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(decimal.toPlainString() + " is not a " + boxed.getSimpleName()
                    + " (out of range or not an integer)");
        }
        throw new IllegalArgumentException("cannot convert to " + boxed.getSimpleName());
    }

    private static String describe(Object value) {
        String text = value instanceof String raw ? quote(Secrets.maskUserInfo(raw))
                : value instanceof Map ? "an object" : value instanceof List ? "a list" : String.valueOf(value);
        return text;
    }

    private static String quote(String s) {
        return "'" + (s.length() > 40 ? s.substring(0, 40) + "…" : s) + "'";
    }

    private static Class<?> box(Class<?> type) {
        if (!type.isPrimitive()) {
            return type;
        }
        return switch (type.getName()) {
            case "int" -> Integer.class;
            case "long" -> Long.class;
            case "short" -> Short.class;
            case "byte" -> Byte.class;
            case "double" -> Double.class;
            case "float" -> Float.class;
            case "boolean" -> Boolean.class;
            default -> Character.class;
        };
    }

    private static Object primitiveZero(Class<?> type) {
        return switch (type.getName()) {
            case "int" -> 0;
            case "long" -> 0L;
            case "short" -> (short) 0;
            case "byte" -> (byte) 0;
            case "double" -> 0d;
            case "float" -> 0f;
            case "boolean" -> false;
            default -> (char) 0;
        };
    }
}
