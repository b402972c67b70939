plan('recipe-applied-before-use') {
    step('a') {
        cleanup { apply 'clear name', 'x' }
    }
}
use 'recipes/clear-a.groovy'
