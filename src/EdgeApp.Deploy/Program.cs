using System.CommandLine;
using EdgeApp.Deploy.Cli;

var root = new RootCommand("EdgeApp deployment generator")
{
    GenerateCommand.Create(Console.Out, Console.Error),
};
return await root.Parse(args).InvokeAsync();
