package io.jsorc.globs.internal.schema;

import io.jsorc.globs.internal.schema.GlobSchema.Field;
import io.jsorc.globs.internal.schema.GlobSchema.Option;
import io.jsorc.globs.internal.schema.GlobSchema.Type;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * Reads the object class definitions of a MetaType XML document (what bnd writes to {@code OSGI-INF/metatype/} for
 * an {@code @ObjectClassDefinition}): any version of the metatype namespace, no DTDs, no external entities.
 *
 * <p>Thread-safety: stateless.
 */
public final class MetatypeXml {

    /** The OCD id that declares the schema of glob {@code NAME}: the glob's configuration PID. */
    public static final String GLOB_PREFIX = "jsorc.glob.";

    private MetatypeXml() {
    }

    /**
     * The schemas of globs ({@code OCD id = jsorc.glob.<NAME>}) in {@code xml}; other OCDs are skipped.
     *
     * @param source named in the schemas (the bundle's symbolic name)
     * @throws IOException when the document is not readable metatype XML
     */
    public static Map<String, GlobSchema> read(InputStream xml, String source) throws IOException {
        Element root;
        try {
            root = builder().parse(xml).getDocumentElement();
        } catch (SAXException | ParserConfigurationException e) {
            throw new IOException("not readable metatype XML: " + e.getMessage(), e);
        }
        Map<String, GlobSchema> schemas = new LinkedHashMap<>();
        for (Element ocd : children(root, "OCD")) {
            String id = ocd.getAttribute("id");
            if (!id.startsWith(GLOB_PREFIX) || id.length() == GLOB_PREFIX.length()) {
                continue;
            }
            String name = id.substring(GLOB_PREFIX.length());
            List<Field> fields = new ArrayList<>();
            for (Element ad : children(ocd, "AD")) {
                fields.add(field(id, ad));
            }
            schemas.put(name, new GlobSchema(name, text(ocd.getAttribute("name"), name),
                    text(ocd.getAttribute("description"), ""), fields, true, source));
        }
        return schemas;
    }

    private static Field field(String ocd, Element ad) throws IOException {
        String id = ad.getAttribute("id");
        if (id.isEmpty()) {
            throw new IOException("an AD of OCD " + ocd + " has no id");
        }
        Type type = Type.ofXml(ad.hasAttribute("type") ? ad.getAttribute("type") : null);
        if (type == null) {
            throw new IOException("AD " + id + " of OCD " + ocd + " has an unknown type " + ad.getAttribute("type"));
        }
        int cardinality;
        try {
            cardinality = ad.hasAttribute("cardinality") ? Integer.parseInt(ad.getAttribute("cardinality").trim()) : 0;
        } catch (NumberFormatException e) {
            throw new IOException("AD " + id + " of OCD " + ocd + " has a cardinality that is not a number");
        }
        List<Option> options = new ArrayList<>();
        for (Element option : children(ad, "Option")) {
            options.add(new Option(text(option.getAttribute("label"), option.getAttribute("value")),
                    option.getAttribute("value")));
        }
        List<String> defaults = ad.hasAttribute("default") ? splitDefaults(ad.getAttribute("default"), cardinality)
                : List.of();
        return new Field(id, text(ad.getAttribute("name"), id), text(ad.getAttribute("description"), ""), type,
                cardinality, defaults, options, blankToNull(ad.getAttribute("min")),
                blankToNull(ad.getAttribute("max")), !"false".equals(ad.getAttribute("required").trim()));
    }

    /**
     * The values of a metatype {@code default}: one for cardinality 0; otherwise comma separated, where {@code \,}
     * is a comma inside a value and {@code \\} a backslash.
     */
    static List<String> splitDefaults(String text, int cardinality) {
        if (cardinality == 0) {
            return List.of(text);
        }
        List<String> values = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length()) {
                current.append(text.charAt(++i));
            } else if (c == ',') {
                values.add(current.toString().trim());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        if (!text.isEmpty()) {
            values.add(current.toString().trim());
        }
        return values;
    }

    private static DocumentBuilder builder() throws ParserConfigurationException {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        factory.setXIncludeAware(false);
        factory.setExpandEntityReferences(false);
        return factory.newDocumentBuilder();
    }

    /** The child elements with this local name (whatever their namespace: bnd writes OCD and AD unqualified). */
    private static List<Element> children(Element parent, String localName) {
        List<Element> found = new ArrayList<>();
        NodeList nodes = parent.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            Node node = nodes.item(i);
            if (node instanceof Element element) {
                String local = element.getLocalName() != null ? element.getLocalName() : element.getTagName();
                if (local.equals(localName)) {
                    found.add(element);
                }
            }
        }
        return found;
    }

    private static String text(String value, String fallback) {
        return value == null || value.isEmpty() ? fallback : value;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
