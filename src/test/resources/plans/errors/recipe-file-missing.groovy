plan('recipe-file-missing') {
    use 'recipes/does-not-exist.groovy'
    step('a') { sql 'SELECT 1' }
}
