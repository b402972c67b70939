// mig's recipes for extensions. Load them in a plan with
//     use 'classpath:mig/recipes/extensions.groovy'
// and apply them in a step body. docs/RECIPES.md describes each one.
version '1.0'

// ensure extension (String name, String schema = 'public'), in a step body
//   Makes sure the extension is installed in the schema: creates the schema if it is missing,
//   moves the extension there (ALTER EXTENSION ... SET SCHEMA) when it is installed in another
//   schema and is relocatable, and creates it there when it is not installed. An extension
//   installed elsewhere that cannot be moved fails the step, naming both schemas. The step's
//   verify then checks that the extension is in the schema. Both names are exact, as PostgreSQL
//   stores them ('uuid-ossp', not '"uuid-ossp"'), and are quoted with ident() wherever they
//   enter SQL.
//       step('extensions') { apply 'ensure extension', 'citext', 'extensions' }
recipe('ensure extension', description: 'Installs an extension in a schema (created if missing), moving it there if it is installed elsewhere') { String name, String schema = 'public' ->
    sql "CREATE SCHEMA IF NOT EXISTS ${ident(schema)}"
    groovy { db ->
        // names are exact, as PostgreSQL stores them ('uuid-ossp'), so the catalog is asked with bind parameters
        def installed = db.firstRow('''SELECT n.nspname AS schema, e.extrelocatable AS relocatable
                                       FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
                                       WHERE e.extname = ?''', [name])
        if (installed != null && installed.schema != schema) {
            if (!installed.relocatable) {
                throw new IllegalStateException("extension ${name} is installed in schema ${installed.schema} and is not relocatable, " +
                        "so it cannot be moved to ${schema}: apply 'ensure extension', '${name}', '${installed.schema}' instead, " +
                        "or drop it and create it again")
            }
            db.execute('ALTER EXTENSION ' + ident(name) + ' SET SCHEMA ' + ident(schema))
        }
    }
    sql "CREATE EXTENSION IF NOT EXISTS ${ident(name)} SCHEMA ${ident(schema)}"
    verify {
        expect("extension ${name} is installed in schema ${schema}") {
            value('''SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
                     WHERE e.extname = ?''', name) == schema
        }
    }
}
