module example.com/promoted-method

go 1.19
