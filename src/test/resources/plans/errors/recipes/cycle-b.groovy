// the other half of the cycle
use 'cycle-a.groovy'
recipe('b') { -> sql 'SELECT 2' }
