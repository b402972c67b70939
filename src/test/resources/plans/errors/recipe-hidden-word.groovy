use 'recipes/hidden-word.groovy'

plan('hidden word') {
    step('things') { apply 'make table', 'things' }
    step('index') { apply 'index column', 'things', 'id' }
}
