plan('cleanup arguments') {
    step('clean') {
        cleanup {
            dropPoliciesOn 'docs', 'notes'
            dropTypeIfUnused 'mood', cascade: true
            dropOrphanedSequences 'public'
            dropOrphanedSequences schema: 'kb', cascade: true
            dropFunctionOverloads 'search(text)'
            dropTriggersOn()
            dropRelationNamed 'x', kind: ['index']
            dropConstraintNamed '"unterminated'
            dropOrphanedSequences schema: 'a.b'
            dropRelationNamed 'x', kinds: ['index', 'indexes']
        }
    }
}
