// Adding tenant_id to tables that already hold data, in the order that works on a live
// database: add the column nullable, fill it from the owning account, and only then make it
// NOT NULL with a foreign key and an index.
//
// The story: tenants (customer companies) have accounts, accounts own projects, projects have
// tasks. Until now the app found a row's tenant by joining up to accounts; row-level security
// and per-tenant exports need tenant_id on the row itself. On the production database someone
// had already added projects.tenant_id by hand during an incident, and the app has been filling
// it for new projects since. The guards ask the catalog instead of assuming: on that database
// 'create the app tables' and 'add tenant_id to projects' are skipped (and the journal says
// why), the backfill fills only the rows still NULL, and the rest runs as on any other
// database. On an empty database every step runs, starting with the app tables.
//
//   scripts/mig run dsl-examples/multi-tenancy.groovy            (embedded PostgreSQL)
//
// expect: exit 0
plan('multi-tenancy') {
    description 'tenant_id on projects and tasks: add, backfill from the owning account, require'

    step('create the app tables') {
        description 'the schema as it was before tenant_id; a database that has it skips this'
        guard(message: 'the app tables exist already') { !table('accounts').exists() }
        sqlFile 'sql/multi-tenancy-app.sql'
        verify {
            table('accounts') { column('tenant_id') { type 'bigint'; notNull true } }
            table('projects') { columns 3 }
            table('tasks') { columns 4 }
        }
    }

    // Nullable first: adding a nullable column without a default changes only the catalog, so
    // the ACCESS EXCLUSIVE lock it takes lasts milliseconds whatever the table's size.
    step('add tenant_id to projects') {
        requires 'create the app tables'
        guard(message: 'projects.tenant_id exists already') { !column('projects', 'tenant_id').exists() }
        sql 'ALTER TABLE projects ADD COLUMN tenant_id bigint'
        verify { table('projects') { column('tenant_id') { type 'bigint'; notNull false } } }
    }

    step('add tenant_id to tasks') {
        requires 'create the app tables'
        guard(message: 'tasks.tenant_id exists already') { !column('tasks', 'tenant_id').exists() }
        sql 'ALTER TABLE tasks ADD COLUMN tenant_id bigint'
        verify { table('tasks') { column('tenant_id') { type 'bigint'; notNull false } } }
    }

    // Only the NULLs: values the app already wrote are kept, and the verify block checks that
    // they agree with the owning account. (On tables of many millions of rows, backfill in
    // batches in a groovy { db -> } loop or outside the migration, and keep this step as the
    // one that checks.)
    step('backfill tenant_id from the owning account') {
        requires 'add tenant_id to projects', 'add tenant_id to tasks'
        sql '''UPDATE projects p
               SET tenant_id = a.tenant_id
              FROM accounts a
             WHERE a.id = p.account_id
               AND p.tenant_id IS NULL;

            UPDATE tasks t
               SET tenant_id = a.tenant_id
              FROM projects p
              JOIN accounts a ON a.id = p.account_id
             WHERE p.id = t.project_id
               AND t.tenant_id IS NULL;
        '''
        verify {
            expect('every project has a tenant') { value('SELECT count(*) FROM projects WHERE tenant_id IS NULL') == 0 }
            expect('every task has a tenant') { value('SELECT count(*) FROM tasks WHERE tenant_id IS NULL') == 0 }
            expect("every project has its account's tenant") {
                value('''SELECT count(*) FROM projects p JOIN accounts a ON a.id = p.account_id
                          WHERE p.tenant_id <> a.tenant_id''') == 0
            }
            expect("every task has its project's tenant") {
                value('''SELECT count(*) FROM tasks t JOIN projects p ON p.id = t.project_id
                          WHERE t.tenant_id <> p.tenant_id''') == 0
            }
        }
    }

    // SET NOT NULL reads the whole table under an ACCESS EXCLUSIVE lock. For a large table,
    // add CHECK (tenant_id IS NOT NULL) NOT VALID in one step and VALIDATE it in the next;
    // SET NOT NULL then uses the validated check instead of a scan.
    step('require tenant_id on projects') {
        requires 'backfill tenant_id from the owning account'
        guard(message: 'projects.tenant_id is NOT NULL already') { !column('projects', 'tenant_id').notNull }
        sql '''ALTER TABLE projects
                ALTER COLUMN tenant_id SET NOT NULL,
                ADD CONSTRAINT projects_tenant_fk FOREIGN KEY (tenant_id) REFERENCES tenants (id);
            CREATE INDEX IF NOT EXISTS projects_tenant_idx ON projects (tenant_id);
        '''
        verify {
            table('projects') {
                column('tenant_id') { type 'bigint'; notNull true }
                foreignKey(column: 'tenant_id', references: 'tenants(id)')
            }
            index('projects_tenant_idx') { on 'projects'; method 'btree' }
        }
    }

    step('require tenant_id on tasks') {
        requires 'backfill tenant_id from the owning account'
        guard(message: 'tasks.tenant_id is NOT NULL already') { !column('tasks', 'tenant_id').notNull }
        sql '''ALTER TABLE tasks
                ALTER COLUMN tenant_id SET NOT NULL,
                ADD CONSTRAINT tasks_tenant_fk FOREIGN KEY (tenant_id) REFERENCES tenants (id);
            CREATE INDEX IF NOT EXISTS tasks_tenant_idx ON tasks (tenant_id);
        '''
        verify {
            table('tasks') {
                column('tenant_id') { type 'bigint'; notNull true }
                foreignKey(column: 'tenant_id', references: 'tenants(id)')
            }
            index('tasks_tenant_idx') { on 'tasks'; method 'btree' }
        }
    }

    verify {                                     // plan-level: read-only, after all steps
        expect('every task has a tenant') { value('SELECT count(*) FROM tasks WHERE tenant_id IS NULL') == 0 }
    }
}
