// the other one
version '2.0'

recipe('clear name') { String name ->
    dropRelationNamed name
}
