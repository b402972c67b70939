package dev.mig.dsl

import dev.mig.api.SourceLocation
import dev.mig.model.Action
import dev.mig.model.ObjectKind
import groovy.transform.CompileStatic
import groovy.transform.PackageScope

/**
 * Reads {@code ensureEnum}, {@code ensureSchema} and {@code ensureExtension} of a step into
 * {@link Action.Ensure} (docs/DSL.md section 3, "Declarative small objects"), with each mistake a
 * plan problem at its line; what they do on the database is run.EnsureExecutor's.
 */
@CompileStatic
@PackageScope
final class EnsureWords {

    /** PostgreSQL keeps an enum label in a name: at most 63 bytes (NAMEDATALEN - 1). */
    private static final int MAX_LABEL_BYTES = 63

    private EnsureWords() {
    }

    static Action.Ensure enumType(DslDelegate block, SourceLocation at, String name, List<String> labels) {
        String usage = "ensureEnum 'agent_status', 'development', 'testing', 'active'"
        if (!block.validName(ObjectKind.TYPE, 'ensureEnum', name)) {
            return null
        }
        if (labels.isEmpty()) {
            block.problem("ensureEnum '${name}' needs its labels, in order".toString(), usage)
            return null
        }
        List<String> repeated = labels.findAll { String l -> labels.count(l) > 1 }.unique()
        if (repeated) {
            block.problem("ensureEnum '${name}' lists ${repeated.collect { "'${it}'" }.join(', ')} more than once".toString(),
                    'an enum label appears once; list each in the order the type should have them')
            return null
        }
        String tooLong = labels.find { String l -> l.getBytes('UTF-8').length > MAX_LABEL_BYTES }
        if (tooLong != null) {
            block.problem("ensureEnum '${name}': label '${tooLong.take(20)}...' is longer than PostgreSQL's 63 bytes".toString(), usage)
            return null
        }
        new Action.Ensure('ensureEnum', name, labels, [:], at)
    }

    static Action.Ensure schema(DslDelegate block, SourceLocation at, Map<String, Object> options, String name) {
        if (!block.validName(ObjectKind.SCHEMA, 'ensureSchema', name) || !known(block, 'ensureSchema', options, ['owner'],
                "ensureSchema 'kb', owner: 'app'")) {
            return null
        }
        if (options.owner != null && !block.validName(ObjectKind.ROLE, 'ensureSchema owner', String.valueOf(options.owner))) {
            return null
        }
        new Action.Ensure('ensureSchema', name, [], strings(options), at)
    }

    static Action.Ensure extension(DslDelegate block, SourceLocation at, Map<String, Object> options, String name) {
        if (!block.validName(ObjectKind.EXTENSION, 'ensureExtension', name) || !known(block, 'ensureExtension', options,
                ['schema', 'version'], "ensureExtension 'vector', schema: 'extensions', version: '0.7.0'")) {
            return null
        }
        if (options.schema != null && !block.validName(ObjectKind.SCHEMA, 'ensureExtension schema', String.valueOf(options.schema))) {
            return null
        }
        new Action.Ensure('ensureExtension', name, [], strings(options), at)
    }

    private static boolean known(DslDelegate block, String word, Map<String, Object> options, List<String> names, String usage) {
        def unknown = options.keySet() - names
        if (unknown) {
            block.problem("unknown option ${unknown.join(', ')} of ${word}".toString(), usage)
            return false
        }
        true
    }

    private static Map<String, Object> strings(Map<String, Object> options) {
        Map<String, Object> out = [:]
        options.each { String k, Object v -> if (v != null) { out[k] = String.valueOf(v) } }
        out
    }
}
