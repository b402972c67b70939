use 'recipes/cycle-a.groovy'
plan('recipe-cycle') {
    step('a') { sql 'SELECT 1' }
}
