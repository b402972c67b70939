// uses cycle-b, which uses this file again
use 'cycle-b.groovy'
recipe('a') { -> sql 'SELECT 1' }
