package dev.mig.verify

import dev.mig.api.ExitCode
import dev.mig.testing.MigCli
import dev.mig.testing.PlanFiles
import dev.mig.testing.TestPostgres
import groovy.sql.Sql
import spock.lang.Shared
import spock.lang.Specification

/**
 * The table expectations beyond columns and indexes (docs/DSL.md section 6), through real plans:
 * primary key, foreign keys, unique sets, checks, row-level security, policies, triggers and
 * comments, each passing when the table has it and failing with expected against found.
 */
class TableShapeSpec extends Specification {

    static final String SCHEMA = '''
        CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL);
        CREATE TABLE orgs (id int, region text, PRIMARY KEY (id, region));
        CREATE TABLE docs (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
            org_id int,
            org_region text,
            slug text NOT NULL,
            tenant_id int NOT NULL,
            body text CONSTRAINT body_not_empty CHECK (body <> ''),
            FOREIGN KEY (org_id, org_region) REFERENCES orgs (id, region),
            UNIQUE (tenant_id, slug)
        );
        CREATE UNIQUE INDEX docs_body_key ON docs (body);
        CREATE UNIQUE INDEX docs_partial_key ON docs (org_id) WHERE org_id IS NOT NULL;
        CREATE INDEX docs_lower_slug ON docs (tenant_id, lower(slug));
        COMMENT ON TABLE docs IS 'Documents, one row per upload';
        ALTER TABLE docs ENABLE ROW LEVEL SECURITY;
        CREATE POLICY docs_owner ON docs USING (user_id = 1);
        CREATE POLICY docs_admin ON docs FOR DELETE USING (true);
        CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NEW; END';
        CREATE TRIGGER docs_touch BEFORE UPDATE ON docs FOR EACH ROW EXECUTE FUNCTION touch();
    '''

    @Shared PlanFiles files = new PlanFiles()
    @Shared String db
    @Shared String url

    def setupSpec() {
        db = TestPostgres.createDatabase('table_shape')
        url = TestPostgres.jdbcUrl(db)
        TestPostgres.withSql(db) { Sql s -> s.execute(SCHEMA) }
    }

    MigCli verify(String name, String expectations) {
        VerifyPlans.verify(files, url, name, expectations)
    }

    def "a table that has everything the block promises verifies"() {
        when:
        def result = verify('holds', '''
            table('docs') {
                primaryKey 'id'
                foreignKey(column: 'user_id', references: 'users(id)', onDelete: 'cascade')
                foreignKey(columns: ['org_id', 'org_region'], references: 'public.orgs(id, region)')
                foreignKey(column: 'user_id', references: 'users')
                unique 'tenant_id', 'slug'
                unique 'slug', 'tenant_id'
                unique 'body'
                unique 'id'
                check 'body_not_empty'
                rowLevelSecurity true
                forceRowLevelSecurity false
                policies 2
                triggers 1
                comment 'Documents, one row per upload'
            }
            index('docs_partial_key') { columns 'org_id'; partial true; unique true }
            index('docs_tenant_id_slug_key') { columns 'tenant_id', 'slug'; partial false }
            table('orgs') { primaryKey 'id', 'region'; rowLevelSecurity false; policies 0; triggers 0 }
        ''')

        then:
        result.exitCode == 0
        result.out =~ /applied\s+check/
    }

    def "every broken promise of a table is reported, each with what was found"() {
        when:
        def result = verify('broken', '''
            table('docs') {
                primaryKey 'id', 'tenant_id'
                foreignKey(column: 'user_id', references: 'orgs(id)')
                foreignKey(column: 'user_id', references: 'users(id)', onDelete: 'restrict')
                unique 'slug'
                unique 'org_id'
                check 'slug_short'
                rowLevelSecurity false
                forceRowLevelSecurity true
                policies 3
                triggers atLeast(2)
                comment 'Documents'
            }
            table('users') { primaryKey 'email'; foreignKey(column: 'id', references: 'docs(id)'); check 'x'; comment 'People' }
            table('orgs') { unique 'region' }
            index('docs_partial_key') { columns 'org_id', 'x'; partial false }
            index('docs_lower_slug') { columns 'slug' }
        ''')

        then:
        result.exitCode == ExitCode.VERIFY_FAILED.code()
        def out = result.output
        out.contains('table docs: expected primary key (id, tenant_id), found (id)')
        out.contains('table docs: expected foreign key (user_id) references orgs(id), found (org_id, org_region) references public.orgs(id, region); (user_id) references public.users(id) on delete cascade')
        out.contains('table docs: expected foreign key (user_id) references users(id) on delete restrict, found ')
        out.contains('table docs: expected unique (slug), found unique (id), (tenant_id, slug), (body)')
        // a partial unique index does not make a column unique
        out.contains('table docs: expected unique (org_id), found ')
        out.contains('table docs: expected check constraint slug_short, found body_not_empty')
        out.contains('table docs: expected row-level security disabled, found enabled')
        out.contains('table docs: expected 3 policies, found 2 (docs_admin, docs_owner)')
        out.contains('table docs: expected at least 2 triggers, found 1 (docs_touch)')
        out.contains("table docs: expected comment 'Documents', found 'Documents, one row per upload'")
        out.contains('table users: expected primary key (email), found (id)')
        out.contains('table users: expected foreign key (id) references docs(id), found no foreign keys')
        out.contains('table users: expected check constraint x, found no check constraints')
        out.contains("table users: expected comment 'People', found no comment")
        out.contains('table orgs: expected unique (region), found unique (id, region)')
        out.contains('table docs: expected row-level security forced on the owner, found not forced')
        out.contains('index docs_partial_key: expected columns (org_id, x), found (org_id)')
        out.contains('index docs_partial_key: expected a full index (no WHERE), found a partial one')
        out.contains('index docs_lower_slug: expected columns (slug), found (tenant_id) and an expression')
        TestPostgres.withSql(db) { Sql s ->
            s.firstRow("SELECT status FROM mig.steps WHERE plan = 'broken'")?.status
        } == 'failed'
    }

    def "a table without a primary key says so, and a missing table stops at its existence"() {
        when:
        def result = verify('no_pk', '''
            table('nope') { primaryKey 'id'; policies 1 }
        ''')

        then:
        result.exitCode == ExitCode.VERIFY_FAILED.code()
        result.output.contains('table nope: does not exist')
        !result.output.contains('table nope: expected')
    }

    def "malformed table expectations are plan errors with their line"() {
        when:
        def plan = files.write('malformed.groovy', '''
            plan('malformed') {
                step('one') {
                    verify {
                        table('docs') {
                            foreignKey(column: 'user_id')
                            foreignKey(column: 'user_id', references: 'users(id')
                            foreignKey(column: 'user_id', references: 'users(id)', onDelete: 'explode')
                            foreignKey(colum: 'user_id', references: 'users(id)')
                            primaryKey()
                        }
                    }
                }
            }
        ''')
        def result = MigCli.run(['check', plan.toString()])

        then:
        result.exitCode == ExitCode.PLAN_ERROR.code()
        result.err.contains('malformed.groovy:6: foreignKey needs column (or columns) and references')
        result.err.contains("malformed.groovy:7: malformed references 'users(id'")
        result.err.contains("malformed.groovy:8: unknown onDelete action 'explode'")
        result.err.contains('malformed.groovy:9: unknown option colum of foreignKey')
        result.err.contains('malformed.groovy:10: primaryKey needs at least one column')
    }

    def "guards see the same table properties"() {
        when:
        def result = verify('guards', '''
            expect('docs has RLS, two policies, a trigger and a key') {
                def t = table('docs')
                t.rowLevelSecurity && t.policies == ['docs_admin', 'docs_owner'] && t.triggers == ['docs_touch'] &&
                        t.primaryKey == ['id'] && t.comment.startsWith('Documents') && 'docs_tenant_id_slug_key' in t.constraints
            }
        ''')

        then:
        result.exitCode == 0
    }
}
