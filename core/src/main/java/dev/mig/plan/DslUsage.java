package dev.mig.plan;

import dev.mig.catalog.SchemaContents;
import dev.mig.model.LintRule;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * How each word of the plan language is called, one line per word of each block: the hint of
 * "wrong arguments for WORD in BLOCK" (and of {@code mig check --strict}'s). A block is named by
 * the simple name of its delegate class ({@code StepDelegate}) or script base class
 * ({@code PlanScript}); {@code DslDelegate} holds the words every block has. DslUsageSpec checks
 * that the table has a line for every public word of every block and none for a word that is
 * gone, so that it cannot go stale.
 */
public final class DslUsage {

    private static final String DESCRIPTION = "description 'what this does'";
    private static final String LOCK_TIMEOUT = "lockTimeout '5s'  (a duration: ms, s, min, h, d; 0 for none)";
    private static final String STATEMENT_TIMEOUT = "statementTimeout '10min'  (a duration: ms, s, min, h, d; 0 for none)";
    private static final String RETRIES = "retries 3  (a whole number, 0 for none)";
    private static final String LOCK_RETRY_FOR = "lockRetryFor '2m'  (how long the lock-retry schedule tries again: a duration, 60s by default)";
    private static final String SQL = "sql 'CREATE TABLE t (id int)'  (one or more statements)";
    private static final String SQL_FILE = "sqlFile 'sql/file.sql'  (relative to this file)";
    private static final String GROOVY = "groovy { db -> db.execute 'UPDATE ...' }";
    private static final String TRANSACTION = "transaction false";
    private static final String VERIFY = "verify { table('t') { columns 3 } }";
    private static final String STEP_VERIFY = VERIFY + "  or  verify(whenSkipped: true) { ... }";
    private static final String COUNT_OR_NAMES = " 2  or  %s atLeast(1)  or  %s 'a', 'b'  (exactly these)";
    private static final String USE = "use 'recipes/x.groovy'  or  use 'classpath:mig/recipes/catalog.groovy', version: '1'";
    private static final String RECIPE = "recipe('name') { String param -> ... }  or  recipe('name', description: 'what it does') { ... }";
    private static final String IDENT = "ident('name')  or  ident('schema', 'name')";
    private static final String HOOK = "{ sql '...' }  (sql, sqlFile, groovy { db -> }, transaction false)";
    /** The words of {@code dropRelationNamed kinds:}. */
    private static final String RELATION_KINDS = "index, sequence, table, view, materialized view";

    /** {@code apply 'recipe', args...}: in step bodies, undo and cleanup blocks. */
    public static final String APPLY = "apply 'recipe name', arguments...  (positional, as the recipe declares them; mig recipes PLAN lists them)";

    private static final Map<String, Map<String, String>> BLOCKS = new LinkedHashMap<>();

    static {
        block("DslDelegate",
                "atLeast", "atLeast(3)  (where a count is expected: columns atLeast(3))");
        block("PlanScript",
                "plan", "plan('name') { step('first') { sql '...' } }",
                "use", USE,
                "recipe", RECIPE,
                "ident", IDENT);
        block("RecipeScript",
                "version", "version '1.2'  (once, at the top of the recipe file)",
                "use", USE,
                "recipe", RECIPE,
                "ident", IDENT);
        block("PlanDelegate",
                "description", DESCRIPTION,
                "lockTimeout", LOCK_TIMEOUT,
                "lockRetryFor", LOCK_RETRY_FOR,
                "statementTimeout", STATEMENT_TIMEOUT,
                "retries", RETRIES,
                "owns", "owns 'kb', 'core'  (the schemas mig reset may drop)",
                "placeholders", "placeholders bucket: 'prod-eu', reader: null",
                "placeholderReplacement", "placeholderReplacement false",
                "searchPath", "searchPath 'kb', 'public'  or  searchPath(['kb', 'public'])  or  searchPath 'kb, public'",
                "use", USE,
                "step", "step('name') { sql '...' }",
                "addNotNull", "addNotNull 'orders', 'customer_id'  (table, column)",
                "addForeignKey", "addForeignKey 'orders', 'customer_id', references: 'customers'  (or columns as a list;"
                        + " references: 'customers(id)', onDelete: 'cascade', name: 'orders_customer_fk')",
                "addCheck", "addCheck 'orders', 'amount_positive', 'amount > 0'  (table, constraint name, condition)",
                "createIndex", "createIndex 'orders', 'customer_id', 'created_at'  (and unique: true, where: 'deleted_at IS NULL',"
                        + " name: 'orders_customer_idx', using: 'gin')",
                "changeColumnType", "changeColumnType 'orders', 'amount', to: 'bigint'  (and using: 'amount / 100.0',"
                        + " batchSize: 10_000, pause: '50ms', keepOld: true)",
                "verify", VERIFY,
                "beforeRun", "beforeRun " + HOOK,
                "afterStep", "afterStep " + HOOK,
                "afterRun", "afterRun " + HOOK,
                "onFailure", "onFailure " + HOOK);
        block("StepDelegate",
                "description", DESCRIPTION,
                "requires", "requires 'create users', 'create roles'  (names of earlier steps)",
                "guard", "guard { !table('t').exists() }  or  guard(onFalse: 'fail', message: 'why') { ... }",
                "cleanup", "cleanup { dropConstraintNamed 'name' }",
                "apply", APPLY,
                "sql", SQL,
                "sqlFile", SQL_FILE,
                "groovy", GROOVY,
                "verify", STEP_VERIFY,
                "insteadOf", "insteadOf 'earlier step'  (runs where that step's guard skipped it)",
                "ensureEnum", "ensureEnum 'agent_status', 'development', 'testing', 'active'  (the labels in order)",
                "ensureSchema", "ensureSchema 'kb'  or  ensureSchema 'kb', owner: 'app'",
                "ensureExtension", "ensureExtension 'vector'  or  ensureExtension 'vector', schema: 'extensions', version: '0.7.0'",
                "undo", "undo { sql 'DROP TABLE t' }",
                "backfill", "backfill { table 'orders'; set 'n = n + 1'; where 'n IS NULL'; batchSize 10_000 }",
                "transaction", TRANSACTION,
                "lockTimeout", LOCK_TIMEOUT,
                "lockRetryFor", LOCK_RETRY_FOR,
                "statementTimeout", STATEMENT_TIMEOUT,
                "retries", RETRIES,
                "runAlways", "runAlways true",
                "tags", "tags 'seed', 'reporting'",
                "lint", "lint { allow 'index-not-concurrently' }");
        block("BackfillDelegate",
                "table", "table 'orders'  (batches along its primary key)",
                "key", "key 'tenant_id', 'code'  (instead of the primary key: the columns of a unique index, each NOT NULL)",
                "set", "set 'tenant_id = a.tenant_id'  (the SET list of the UPDATE)",
                "where", "where 'tenant_id IS NULL'  (the rows of each batch to change)",
                "statement", "statement 'INSERT INTO b (id) SELECT id FROM a WHERE {range} ON CONFLICT DO NOTHING'  (instead of set; {range o} qualifies the key)",
                "batchSize", "batchSize 10_000  (keys per batch, 1 to 10000000)",
                "pause", "pause '100ms'  (a duration: ms, s, min, h, d)",
                "maxBatchesPerSecond", "maxBatchesPerSecond 20  (a number above 0)",
                "maxReplicationLag", "maxReplicationLag '5s'  or  maxReplicationLag '5s', query: 'SELECT lag_seconds FROM ...'");
        block("HookDelegate",
                "sql", SQL,
                "sqlFile", SQL_FILE,
                "groovy", GROOVY,
                "transaction", TRANSACTION);
        block("CleanupDelegate",
                "dropConstraintNamed", "dropConstraintNamed 'name'",
                "dropRelationNamed", "dropRelationNamed 'name'  or  dropRelationNamed 'name', kinds: ['index', 'sequence']  (kinds: "
                        + RELATION_KINDS + ")",
                "dropIndexIfInvalid", "dropIndexIfInvalid 'name'",
                "dropFunctionOverloads", "dropFunctionOverloads 'name'  (no argument list: every overload is dropped)",
                "dropPoliciesOn", "dropPoliciesOn 'table'",
                "dropTriggersOn", "dropTriggersOn 'table'",
                "dropTypeIfUnused", "dropTypeIfUnused 'name'",
                "dropOrphanedSequences", "dropOrphanedSequences()  or  dropOrphanedSequences schema: 'name'",
                "apply", APPLY);
        block("LintDelegate",
                "allow", "allow 'index-not-concurrently', 'table-rewrite'  (the rules: " + String.join(", ", LintRule.names()) + ")");
        block("VerifyDelegate",
                "table", "table 't'  or  table('t') { columns 3; column('c') { type 'text' } }",
                "index", "index 'i'  or  index('i') { unique true; on 't' }",
                "extension", "extension 'pg_trgm'",
                "function", "function 'f'  or  function 'f(integer, text)'",
                "type", "type 'name'",
                "enumType", "enumType 'mood'  or  enumType('mood') { labels 'sad', 'ok' }",
                "schema", "schema 'kb'  or  schema('kb') { tables 35; enums 6; functions 12 }",
                "role", "role 'reader'",
                "view", "view 'v'",
                "materializedView", "materializedView 'mv'",
                "sequence", "sequence 's'",
                "policy", "policy 'table', 'policy'",
                "trigger", "trigger 'table', 'trigger'",
                "absent", "absent { table 'old'; index 'old_idx' }",
                "rowCount", "rowCount 't', 2  or  rowCount 't', atLeast(1)",
                "expect", "expect('what must hold') { value('SELECT count(*) FROM t') > 0 }");
        block("TableDelegate",
                "columns", "columns 12  or  columns atLeast(3)  or  columns 'id', 'name'  (exactly these)",
                "column", "column 'c'  or  column('c') { type 'text'; notNull true; defaultValue 'now()' }",
                "indexes", "indexes 3  or  indexes atLeast(2)  or  indexes 1, excluding: 'constraints'  or  indexes 'a_idx'",
                "foreignKeys", countOrNames("foreignKeys"),
                "noForeignKey", "noForeignKey 'content_id'  (no foreign key may cover it)",
                "primaryKey", "primaryKey 'id'  or  primaryKey 'tenant_id', 'id'",
                "foreignKey", "foreignKey(column: 'user_id', references: 'users(id)')  (or columns: ['a', 'b']; onDelete: 'cascade')",
                "unique", "unique 'email'  or  unique 'tenant_id', 'slug'",
                "check", "check 'constraint_name'",
                "rowLevelSecurity", "rowLevelSecurity true",
                "forceRowLevelSecurity", "forceRowLevelSecurity true",
                "policies", countOrNames("policies"),
                "triggers", countOrNames("triggers"),
                "comment", "comment 'the text of COMMENT ON TABLE'");
        block("ColumnDelegate",
                "type", "type 'text'",
                "notNull", "notNull true",
                "defaultValue", "defaultValue 'now()'");
        block("IndexDelegate",
                "unique", "unique true",
                "valid", "valid true",
                "method", "method 'gin'",
                "on", "on 'table'",
                "columns", "columns 'tenant_id', 'created_at'",
                "partial", "partial true");
        block("EnumDelegate",
                "labels", "labels 'sad', 'ok', 'happy'  (in order)");
        block("AbsentDelegate",
                "table", "table 'name'",
                "view", "view 'name'",
                "materializedView", "materializedView 'name'",
                "sequence", "sequence 'name'",
                "index", "index 'name'",
                "relation", "relation 'name'",
                "extension", "extension 'name'",
                "function", "function 'name'  or  function 'name(integer)'",
                "type", "type 'name'",
                "schema", "schema 'name'",
                "role", "role 'name'",
                "constraint", "constraint 'name'",
                "column", "column 'table.column'  or  column 'table', 'column'",
                "trigger", "trigger 'table.trigger'  or  trigger 'table', 'trigger'",
                "policy", "policy 'table.policy'  or  policy 'table', 'policy'",
                "enumType", "enumType 'name'");
        String[] schemaWords = new String[SchemaContents.KINDS.size() * 2];
        for (int i = 0; i < SchemaContents.KINDS.size(); i++) {
            schemaWords[2 * i] = SchemaContents.KINDS.get(i);
            schemaWords[2 * i + 1] = countOrNames(SchemaContents.KINDS.get(i));
        }
        block("SchemaDelegate", schemaWords);
    }

    /** {@code tables 2  or  tables atLeast(1)  or  tables 'a', 'b'  (exactly these)}. */
    private static String countOrNames(String word) {
        return word + String.format(COUNT_OR_NAMES, word, word);
    }

    private DslUsage() {
    }

    private static void block(String name, String... wordsAndUsages) {
        Map<String, String> words = new LinkedHashMap<>();
        for (int i = 0; i < wordsAndUsages.length; i += 2) {
            words.put(wordsAndUsages[i], wordsAndUsages[i + 1]);
        }
        BLOCKS.put(name, Map.copyOf(words));
    }

    /**
     * How {@code word} is called in {@code block} (a delegate's or script base's simple class name),
     * or in every block ({@code atLeast}); null when the table has no line for it.
     */
    public static String of(String block, String word) {
        String usage = BLOCKS.getOrDefault(block, Map.of()).get(word);
        return usage != null ? usage : BLOCKS.get("DslDelegate").get(word);
    }

    /** {@code usage: ...}, the hint of a wrong call; null when the table has no line. */
    public static String hint(String block, String word) {
        String usage = of(block, word);
        return usage == null ? null : "usage: " + usage;
    }

    /** The blocks the table describes. */
    public static Set<String> blocks() {
        return BLOCKS.keySet();
    }

    /** The words with a line of their own in {@code block}. */
    public static Set<String> words(String block) {
        return BLOCKS.getOrDefault(block, Map.of()).keySet();
    }

    /** Every word of every block and of the top of plan and recipe files. */
    public static Set<String> allWords() {
        return BLOCKS.values().stream().flatMap(m -> m.keySet().stream()).collect(Collectors.toUnmodifiableSet());
    }

    /** Arguments as the plan wrote them: {@code 'a', 'b'}, {@code cascade: true}, {@code ['kb', 'core']}. */
    public static String arguments(Object[] args) {
        if (args == null || args.length == 0) {
            return "no arguments";
        }
        return java.util.Arrays.stream(args).map(DslUsage::argument).collect(Collectors.joining(", "));
    }

    private static String argument(Object arg) {
        if (arg instanceof Map<?, ?> map) {
            return map.entrySet().stream().map(e -> e.getKey() + ": " + argument(e.getValue())).collect(Collectors.joining(", "));
        }
        if (arg instanceof List<?> list) {
            return list.stream().map(DslUsage::argument).collect(Collectors.joining(", ", "[", "]"));
        }
        if (arg instanceof Object[] array) {
            return argument(java.util.Arrays.asList(array));
        }
        if (arg instanceof CharSequence text) {
            String s = text.toString();
            return "'" + (s.length() > 40 ? s.substring(0, 40) + "..." : s) + "'";
        }
        if (arg instanceof groovy.lang.Closure<?>) {
            return "{ ... }";
        }
        return String.valueOf(arg);
    }
}
