// mig's recipes for row level security. Load them in a plan with
//     use 'classpath:mig/recipes/rls.groovy'
// and apply them in a step's cleanup block. docs/RECIPES.md describes each one.
version '1.0'

// drop policies (String table), in cleanup { }
//   Drops every row-level-security policy on the table, so the step can create the policies it
//   wants from scratch. Row level security itself stays as it was (enabled with no policy, only
//   the owner and roles with BYPASSRLS see rows until the step adds policies).
//       cleanup { apply 'drop policies', 'chunks' }
recipe('drop policies', description: 'Drops every row-level-security policy on a table; row level security stays as it was') { String table ->
    dropPoliciesOn table
}
