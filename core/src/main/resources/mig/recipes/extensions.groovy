// mig's recipes for extensions. Load them in a plan with
//     use 'classpath:mig/recipes/extensions.groovy'
// and apply them in a step body. docs/RECIPES.md describes each one.
import dev.mig.catalog.QualifiedName

version '1.0'

// ensure extension (String name, String schema = 'public'), in a step body
//   Makes sure the extension is installed in the schema: creates the schema if it is missing,
//   moves the extension there (ALTER EXTENSION ... SET SCHEMA) when it is installed in another
//   schema and is relocatable, and creates it there when it is not installed. An extension
//   installed elsewhere that cannot be moved fails the step, naming both schemas. The step's
//   verify then checks that the extension is in the schema. Names are written as in SQL, like
//   every name in a plan: unquoted ones fold to lower case ('citext'), quoted ones are kept
//   ('"uuid-ossp"', '"My Schema"'); a malformed name is a plan error. They enter SQL only
//   through ident().
//       step('extensions') { apply 'ensure extension', 'citext', 'extensions' }
recipe('ensure extension', description: 'Installs an extension in a schema (created if missing), moving it there if it is installed elsewhere') { String name, String schema = 'public' ->
    String extension = QualifiedName.parseIdentifier(name)
    String target = QualifiedName.parseIdentifier(schema)
    sql "CREATE SCHEMA IF NOT EXISTS ${ident(target)}"
    groovy { db ->
        def installed = db.firstRow('''SELECT n.nspname AS schema, e.extrelocatable AS relocatable
                                       FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
                                       WHERE e.extname = ?''', [extension])
        if (installed != null && installed.schema != target) {
            if (!installed.relocatable) {
                throw new IllegalStateException("extension ${extension} is installed in schema ${installed.schema} and is not relocatable, " +
                        "so it cannot be moved to ${target}: apply 'ensure extension', '${name}', '${installed.schema}' instead, " +
                        "or drop it and create it again")
            }
            db.execute('ALTER EXTENSION ' + ident(extension) + ' SET SCHEMA ' + ident(target))
        }
    }
    sql "CREATE EXTENSION IF NOT EXISTS ${ident(extension)} SCHEMA ${ident(target)}"
    verify {
        expect("extension ${extension} is installed in schema ${target}") {
            value('''SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
                     WHERE e.extname = ?''', extension) == target
        }
    }
}
