plan('wrong arguments') {
    step('one') {
        cleanup {
            dropConstraintNamed 'a', 'b'
        }
    }
}
