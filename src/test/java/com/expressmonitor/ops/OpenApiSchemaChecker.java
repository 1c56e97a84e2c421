package com.expressmonitor.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a Kubernetes object against the structural OpenAPI v3 schema of a CustomResourceDefinition, as the API
 * server does before it accepts a custom resource, so that a manifest can be checked without a cluster.
 *
 * <p>It knows the keywords such schemas use: {@code type} (object, array, string, integer, number, boolean),
 * {@code properties}, {@code additionalProperties} (a schema for the values of a map, or {@code true}),
 * {@code x-kubernetes-preserve-unknown-fields}, {@code items}, {@code enum}, {@code required}, {@code nullable},
 * {@code anyOf} and {@code x-kubernetes-int-or-string}. A field that no schema declares is a violation unless
 * {@code additionalProperties} or {@code x-kubernetes-preserve-unknown-fields} allows it. A schema keyword outside
 * that list stops the check with an {@link IllegalArgumentException} rather than being passed over: a rule the
 * checker cannot apply must not pass silently.
 */
final class OpenApiSchemaChecker {
    private static final Set<String> KEYWORDS = Set.of("type", "properties", "additionalProperties", "items", "enum",
            "required", "nullable", "anyOf", "x-kubernetes-int-or-string", "x-kubernetes-preserve-unknown-fields",
            "description");

    /**
     * The part of ObjectMeta a manifest writes. Everything else in metadata is filled in by the API server, so in
     * a manifest it is a mistake.
     */
    private static final JsonNode OBJECT_META = yaml("""
            type: object
            required: [name]
            properties:
              name: {type: string}
              namespace: {type: string}
              labels: {type: object, additionalProperties: {type: string}}
              annotations: {type: object, additionalProperties: {type: string}}
            """);

    private OpenApiSchemaChecker() {}

    /**
     * Every violation of {@code schema} by {@code value}, in document order, each as {@code path: what is wrong}
     * (paths like {@code spec.job.args[2]}; map keys with dots or slashes in brackets).
     */
    static List<String> violations(JsonNode schema, JsonNode value) {
        List<String> out = new ArrayList<>();
        check(schema, value, "", out);
        return out;
    }

    /**
     * Every violation of a custom resource: its apiVersion must be a served version of the CRD and its kind the
     * CRD's kind, its metadata must have a name, and everything else is checked against that version's
     * {@code openAPIV3Schema} (which, as in every CRD, leaves apiVersion, kind and metadata to the API server).
     */
    static List<String> resourceViolations(JsonNode crd, JsonNode resource) {
        List<String> out = new ArrayList<>();
        String group = crd.at("/spec/group").asText();
        List<String> served = new ArrayList<>();
        JsonNode version = null;
        for (JsonNode v : crd.at("/spec/versions")) {
            if (v.path("served").asBoolean(true)) {
                String apiVersion = group + "/" + v.path("name").asText();
                served.add(apiVersion);
                if (apiVersion.equals(resource.path("apiVersion").asText())) {
                    version = v;
                }
            }
        }
        if (version == null) {
            out.add("apiVersion: " + describe(resource.path("apiVersion")) + " is not one of the served " + served);
        }
        String kind = crd.at("/spec/names/kind").asText();
        if (!kind.equals(resource.path("kind").asText())) {
            out.add("kind: " + describe(resource.path("kind")) + " is not " + kind);
        }
        if (resource.has("metadata")) {
            check(OBJECT_META, resource.get("metadata"), "metadata", out);
        } else {
            out.add("metadata: required field is missing");
        }
        if (version != null) {
            ObjectNode body = resource.deepCopy();
            body.remove(List.of("apiVersion", "kind", "metadata"));
            check(version.at("/schema/openAPIV3Schema"), body, "", out);
        }
        return out;
    }

    private static void check(JsonNode schema, JsonNode value, String path, List<String> out) {
        for (Iterator<String> keywords = schema.fieldNames(); keywords.hasNext(); ) {
            String keyword = keywords.next();
            if (!KEYWORDS.contains(keyword)) {
                throw new IllegalArgumentException("the schema of " + where(path) + " uses '" + keyword
                        + "', which this checker does not apply");
            }
        }
        if (value.isNull()) {
            if (!schema.path("nullable").asBoolean(false)) {
                out.add(where(path) + ": null is not allowed");
            }
            return;
        }
        if (schema.path("x-kubernetes-int-or-string").asBoolean(false)) {
            // Its anyOf of integer and string says the same; one message is enough.
            if (!value.isIntegralNumber() && !value.isTextual()) {
                out.add(where(path) + ": expected an integer or a string, got " + describe(value));
            }
            return;
        }
        if (schema.has("anyOf") && !matchesAny(schema.get("anyOf"), value, path)) {
            out.add(where(path) + ": " + describe(value) + " matches none of anyOf " + schema.get("anyOf"));
        }
        if (schema.has("type")) {
            String type = schema.get("type").asText();
            if (!hasType(value, type, path)) {
                out.add(where(path) + ": expected " + type + ", got " + describe(value));
                return; // the rest of the schema is about a value of the right type
            }
        }
        if (schema.has("enum") && !contains(schema.get("enum"), value)) {
            out.add(where(path) + ": " + describe(value) + " is not one of " + schema.get("enum"));
        }
        if (value.isObject()) {
            checkObject(schema, value, path, out);
        } else if (value.isArray() && schema.has("items")) {
            for (int i = 0; i < value.size(); i++) {
                check(schema.get("items"), value.get(i), path + "[" + i + "]", out);
            }
        }
    }

    private static void checkObject(JsonNode schema, JsonNode value, String path, List<String> out) {
        JsonNode properties = schema.path("properties");
        JsonNode additional = schema.get("additionalProperties");
        boolean preserveUnknown = schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
        for (Iterator<Map.Entry<String, JsonNode>> fields = value.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            String fieldPath = child(path, field.getKey());
            if (properties.has(field.getKey())) {
                check(properties.get(field.getKey()), field.getValue(), fieldPath, out);
            } else if (additional != null && additional.isObject()) {
                check(additional, field.getValue(), fieldPath, out);
            } else if (!preserveUnknown && !(additional != null && additional.asBoolean(false))) {
                out.add(fieldPath + ": unknown field");
            }
        }
        for (JsonNode required : schema.path("required")) {
            if (!value.has(required.asText())) {
                out.add(child(path, required.asText()) + ": required field is missing");
            }
        }
    }

    private static boolean matchesAny(JsonNode branches, JsonNode value, String path) {
        for (JsonNode branch : branches) {
            List<String> branchViolations = new ArrayList<>();
            check(branch, value, path, branchViolations);
            if (branchViolations.isEmpty()) {
                return true;
            }
        }
        return false;
    }

    private static boolean hasType(JsonNode value, String type, String path) {
        return switch (type) {
            case "object" -> value.isObject();
            case "array" -> value.isArray();
            case "string" -> value.isTextual();
            case "integer" -> value.isIntegralNumber();
            case "number" -> value.isNumber();
            case "boolean" -> value.isBoolean();
            default -> throw new IllegalArgumentException("the schema of " + where(path) + " has type '" + type
                    + "', which is not an OpenAPI type");
        };
    }

    private static boolean contains(JsonNode allowed, JsonNode value) {
        for (JsonNode a : allowed) {
            if (a.equals(value)) {
                return true;
            }
        }
        return false;
    }

    private static String describe(JsonNode value) {
        if (value.isMissingNode()) {
            return "nothing";
        }
        if (value.isTextual()) {
            return "string " + value;
        }
        if (value.isIntegralNumber()) {
            return "integer " + value;
        }
        if (value.isNumber()) {
            return "number " + value;
        }
        if (value.isBoolean()) {
            return "boolean " + value;
        }
        return value.isObject() ? "an object" : value.isArray() ? "an array" : value.getNodeType().toString();
    }

    private static String child(String path, String name) {
        if (name.contains(".") || name.contains("/") || name.isEmpty()) {
            return path + "[\"" + name + "\"]";
        }
        return path.isEmpty() ? name : path + "." + name;
    }

    private static String where(String path) {
        return path.isEmpty() ? "(document)" : path;
    }

    private static JsonNode yaml(String text) {
        try {
            return new YAMLMapper().readTree(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
