use 'recipes/top-level-typo.groovy'
plan('recipe-top-level-typo') {
    step('a') { sql 'SELECT 1' }
}
