module gridlock.test/labels

go 1.27
