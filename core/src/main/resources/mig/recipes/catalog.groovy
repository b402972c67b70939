// mig's recipes for clearing names and leftovers out of the catalog. Load them in a plan with
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

// drop function overloads (String name), in cleanup { }
//   Drops every function, procedure and aggregate of that name (every argument list) in the
//   schema the name gives, else in the first searchPath schema that has one. Fails the step
//   with PostgreSQL's error if something still depends on one of them (no CASCADE).
//       cleanup { apply 'drop function overloads', 'search_chunks' }
recipe('drop function overloads', description: 'Drops every overload of a function, procedure or aggregate, before it is created again with other arguments') { String name ->
    dropFunctionOverloads name
}

// drop orphaned sequences (String schema = null), in cleanup { }
//   Drops the sequences that no column owns and nothing uses, in the plan's searchPath schemas,
//   or in the one schema given. A sequence named only as text (nextval('s'::text), PL/pgSQL)
//   looks orphaned to PostgreSQL: use it in schemas whose sequences belong to columns.
//       cleanup { apply 'drop orphaned sequences' }
//       cleanup { apply 'drop orphaned sequences', 'kb' }
recipe('drop orphaned sequences', description: 'Drops sequences no column owns and nothing uses (searchPath schemas, or the one given)') { String schema = null ->
    if (schema == null) {
        dropOrphanedSequences()
    } else {
        dropOrphanedSequences schema: schema
    }
}
