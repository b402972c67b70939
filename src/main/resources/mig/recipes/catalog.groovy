// mig's recipes for clearing names out of the catalog. Load them in a plan with
//     use 'classpath:mig/recipes/catalog.groovy'
// and apply them in a step's cleanup block. docs/RECIPES.md describes each one.
version '1.0'

// clear name (String name), in cleanup { }
//   Frees a name wherever it hides: drops the constraint of that name on whatever table holds it
//   (with the index behind it), else an index or a sequence of that name. Tables and views of
//   that name are left alone. Does nothing, and says so, when nothing holds the name.
//       cleanup { apply 'clear name', 'unique_chunk' }
recipe('clear name', description: 'Drops whatever holds a name: a constraint on any table, else an index or a sequence') { String name ->
    dropConstraintNamed name
    dropRelationNamed name, kinds: ['index', 'sequence']
}
