module example.com/composite-literal-healthy

go 1.19
