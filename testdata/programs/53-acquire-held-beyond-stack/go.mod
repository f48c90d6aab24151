module example.com/acquire-held-beyond-stack

go 1.19
