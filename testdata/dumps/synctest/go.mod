module gridlock.test/synctest

go 1.27
