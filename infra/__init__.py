"""Infrastructure: resource definitions, the CloudFormation merge template, the embedded emulator."""
