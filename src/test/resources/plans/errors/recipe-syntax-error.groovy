use 'recipes/broken.groovy'
plan('recipe-syntax-error') {
    step('a') { sql 'SELECT 1' }
}
