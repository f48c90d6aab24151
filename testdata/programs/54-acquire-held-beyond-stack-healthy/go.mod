module example.com/acquire-held-beyond-stack-healthy

go 1.19
