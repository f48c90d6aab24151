module example.com/command-line-arguments

go 1.19
