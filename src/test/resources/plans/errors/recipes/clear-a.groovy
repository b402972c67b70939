// one of two files that define the same recipe; it declares no version
recipe('clear name') { String name ->
    dropConstraintNamed name
}
