use 'recipes/clear-a.groovy'
use 'classpath:mig/recipes/extensions.groovy'
plan('recipe-arguments') {
    step('a') {
        cleanup {
            apply 'clear name'
            apply 'clear name', 'x', 'y'
        }
    }
    step('b') {
        apply 'ensure extension', 'citext', 'extensions', 'extra'
    }
}
