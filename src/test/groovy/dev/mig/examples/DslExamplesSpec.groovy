package dev.mig.examples

import dev.mig.testing.DatabaseSpec
import dev.mig.testing.MigCli
import groovy.sql.Sql

import java.nio.file.Files
import java.nio.file.Path

/**
 * Examples of docs/DSL.md that show what mig prints, run as written: the plan is read from the
 * page, so an edit of the page that breaks the example fails here.
 */
class DslExamplesSpec extends DatabaseSpec {

    static final String PAGE = Files.readString(Path.of('docs/DSL.md'))

    /** The first ```groovy block after the heading or text {@code after}, its indentation removed. */
    static String groovyBlock(String after) {
        int from = PAGE.indexOf(after)
        assert from >= 0: "docs/DSL.md has no '${after}'"
        def m = PAGE.substring(from) =~ /(?s)```groovy\n(.*?)\n\s*```/
        assert m.find()
        m.group(1).stripIndent()
    }

    def "Guard messages: skip guards say why, in the run's lines, and a fail guard's message is the failure"() {
        given: 'a database where the first two steps have nothing to do and kb holds a table too many'
        sql { Sql s ->
            s.execute('''CREATE TABLE projects (id int PRIMARY KEY, tenant_id bigint); CREATE TABLE comments (id int, content_id int);
                         CREATE SCHEMA kb; CREATE TABLE kb.docs (id int); CREATE TABLE kb.chunks (id int); CREATE TABLE kb.extra (id int)''')
        }
        def plan = files.write('plan.groovy', groovyBlock('### Guard messages'))

        when:
        def result = mig(plan.toString())

        then: 'as the page shows'
        result.exitCode == 1
        result.out =~ /(?m)^  skipped\s+add tenant_id to projects  \(\d+ ms\)  projects.tenant_id exists already \(\S*plan.groovy:3\)$/
        result.out =~ /(?m)^  skipped\s+drop the hand-made key  \(\d+ ms\)  comments has no hand-made key \(\S*plan.groovy:7\)$/
        result.out.contains('      Message:   precondition failed: kb holds something this plan does not know\n')
        MigCli.run(['check', '--strict', plan.toString()]).exitCode == 0

        when: 'the extra table is gone, and the hand-made key is there'
        sql { Sql s ->
            s.execute('''DROP TABLE kb.extra; ALTER TABLE comments ADD CONSTRAINT comments_content_id_fkey
                         FOREIGN KEY (content_id) REFERENCES projects (id) NOT VALID''')
        }
        def again = mig(plan.toString())

        then:
        again.exitCode == 0
        again.out =~ /applied\s+drop the hand-made key/
        again.out =~ /applied\s+check the schema/
        sql { Sql s -> s.firstRow("SELECT count(*) AS n FROM pg_constraint WHERE conname = 'comments_content_id_fkey'").n } == 0
    }

    def "searchPath: guards, cleanup and verify look in kb, then public"() {
        given:
        sql { Sql s -> s.execute('CREATE SCHEMA kb; CREATE TABLE public.legacy (id int, CONSTRAINT unique_chunk UNIQUE (id))') }
        def plan = files.write('kb.groovy', groovyBlock('* **`searchPath`**'))

        when:
        def result = mig(plan.toString())

        then: 'kb has no unique_chunk, so the first schema that has it is public'
        result.exitCode == 0
        result.out.contains('cleanup (committed): dropped constraint unique_chunk on public.legacy')
        exists('kb.chunks')
    }
}
