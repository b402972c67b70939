use 'recipes/clear-a.groovy'
use 'recipes/clear-b.groovy'
plan('recipe-duplicate') {
    step('a') { cleanup { apply 'clear name', 'x' } }
}
